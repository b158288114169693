package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;

/** An abandoned connection attempt (a busy server) cannot disturb the next one. */
class DownloadEventsTest {

    private static DownloadEvent.ChunkArrived chunk(ByteBuf payload) {
        return new DownloadEvent.ChunkArrived("h:1", new ChunkHeader(1, 0, 0, 1, Encoding.RAW, 1,
                ChecksumAlgorithm.CRC32C, Bytes.of(new byte[4])), payload, 1,
                new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES));
    }

    @Test
    void anAbandonedAttemptsEventsAreDroppedAndACancelIsKept() throws Exception {
        DownloadEvents events = new DownloadEvents();
        Consumer<DownloadEvent> first = events.attemptSink();
        ByteBuf queued = Unpooled.buffer(1).writeByte(1);
        first.accept(chunk(queued));
        events.add(new DownloadEvent.Cancelled());
        events.abandonAttempt();
        assertThat(queued.refCnt()).isZero();
        ByteBuf late = Unpooled.buffer(1).writeByte(2);
        first.accept(chunk(late));
        assertThat(late.refCnt()).as("a late chunk of the abandoned attempt").isZero();
        assertThat(events.poll(0, TimeUnit.MILLISECONDS)).isInstanceOf(DownloadEvent.Cancelled.class);
        assertThat(events.poll(0, TimeUnit.MILLISECONDS)).isNull();

        Consumer<DownloadEvent> second = events.attemptSink();
        second.accept(new DownloadEvent.Cancelled());
        assertThat(events.pause(TimeUnit.SECONDS.toNanos(30))).as("a cancel ends the pause").isFalse();
        assertThat(events.pause(1)).isTrue();
    }

    @Test
    void afterTheEndEveryLateChunkIsReleasedNotQueued() throws Exception {
        DownloadEvents events = new DownloadEvents();
        Consumer<DownloadEvent> sink = events.attemptSink();
        ByteBuf queued = Unpooled.buffer(1).writeByte(1);
        sink.accept(chunk(queued));
        events.close();
        assertThat(queued.refCnt()).as("a chunk queued at the end").isZero();
        ByteBuf late = Unpooled.buffer(1).writeByte(2);
        sink.accept(chunk(late));
        assertThat(late.refCnt()).as("a chunk arriving after the end").isZero();
        assertThat(events.poll(0, TimeUnit.MILLISECONDS)).isNull();
    }
}
