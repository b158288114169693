package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.MpftException;

/** What a kept session's connection reports goes to the transfer attached now, and nowhere between transfers. */
class ClientSessionRouteTest {

    private static DownloadEvent.ChunkArrived chunk(ByteBuf payload) {
        return new DownloadEvent.ChunkArrived("h:1", new ChunkHeader(1, 0, 0, 1, Encoding.RAW, 1,
                ChecksumAlgorithm.CRC32C, Bytes.of(new byte[4])), payload, 1,
                new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES));
    }

    @Test
    void eventsGoToTheAttachedTransferAndBetweenTransfersChunksAreReleased() {
        ClientSession.Route route = new ClientSession.Route();
        List<DownloadEvent> first = new ArrayList<>();
        route.attach(first::add, () -> null);
        route.accept(new DownloadEvent.ControlFrame(ErrorFrame.of(ErrorCode.FILE_NOT_FOUND, "no such file")));
        assertThat(first).hasSize(1);
        assertThat(route.openRefused()).isTrue();
        route.idle();

        ByteBuf late = Unpooled.buffer(1).writeByte(1);
        route.accept(chunk(late));
        assertThat(late.refCnt()).as("a chunk between transfers").isZero();
        assertThat(route.dead()).isFalse();

        List<DownloadEvent> second = new ArrayList<>();
        route.attach(second::add, () -> null);
        assertThat(route.openRefused()).as("a new transfer's OPEN is not answered yet").isFalse();
        route.accept(new DownloadEvent.ControlFrame(ErrorFrame.of(ErrorCode.LIMIT_EXCEEDED, "too many")));
        assertThat(route.openRefused()).as("the server ends the session after this one").isFalse();
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
    }

    @Test
    void aFailureMarksTheSessionDeadEvenBetweenTransfers() {
        ClientSession.Route route = new ClientSession.Route();
        route.idle();
        route.accept(new DownloadEvent.Failed(new MpftException(ErrorCode.SERVER_UNAVAILABLE, "lost")));
        assertThat(route.dead()).isTrue();
    }
}
