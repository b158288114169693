package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ErrorCode;

/** One chunk stream: header parsing across reads, plan checks, exact payload length, FIN handling. */
class ChunkReceiverTest {

    private static final int CHUNK = 4096;
    private static final ChunkPlan PLAN = new ChunkPlan(3 * CHUNK - 100, CHUNK);

    private final List<DownloadEvent> events = new ArrayList<>();
    private final ReceiveBudget budget = new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES);
    private final ChunkVerifier verifier = new ChunkVerifier(42, PLAN, ChecksumAlgorithm.SHA256, "dir/f.bin", false);
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new ChunkReceiver("srv:7300", id -> verifier, false, budget, new StreamOrder(), events::add,
                    PooledByteBufAllocator.DEFAULT));

    @AfterEach
    void release() {
        for (DownloadEvent e : events) {
            if (e instanceof DownloadEvent.ChunkArrived c) {
                c.payload().release();
            }
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void gathersAChunkSplitIntoTinyReads() {
        byte[] data = random(PLAN.length(2));
        ByteBuf stream = stream(header(2, data), data);
        while (stream.isReadable()) {
            channel.writeInbound(stream.readRetainedSlice(Math.min(7, stream.readableBytes())));
        }
        stream.release();

        assertThat(events).singleElement().isInstanceOfSatisfying(DownloadEvent.ChunkArrived.class, c -> {
            assertThat(c.header().chunk()).isEqualTo(2);
            assertThat(c.server()).isEqualTo("srv:7300");
            assertThat(c.payload().isDirect()).isTrue();
            byte[] got = new byte[c.payload().readableBytes()];
            c.payload().getBytes(c.payload().readerIndex(), got);
            assertThat(got).isEqualTo(data);
            assertThat(verifier.verify(c.header(), c.payload().nioBuffer())).isTrue();
        });
    }

    @Test
    void onASharedConnectionAChunkOfATransferThatEndedIsDroppedNotAFailure() {
        EmbeddedChannel shared = new EmbeddedChannel(new ChunkReceiver("srv:7300",
                transferId -> transferId == 42 ? verifier : null, true, budget, new StreamOrder(), events::add,
                PooledByteBufAllocator.DEFAULT));
        byte[] data = random(CHUNK);
        ChunkHeader other = new ChunkHeader(41, 0, 0, CHUNK, Encoding.RAW, CHUNK, ChecksumAlgorithm.SHA256,
                Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(data))));
        shared.writeInbound(stream(other, data));
        assertThat(events).isEmpty();
        assertThat(shared.isOpen()).isFalse();
        assertThat(budget.held()).isZero();
    }

    @Test
    void finClosesTheStreamAfterACompleteChunk() {
        byte[] data = random(CHUNK);
        channel.writeInbound(stream(header(0, data), data));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).singleElement().isInstanceOf(DownloadEvent.ChunkArrived.class);
    }

    @Test
    void aShortChunkFailsWithItsIndex() {
        byte[] data = random(CHUNK);
        ByteBuf stream = stream(header(1, data), data);
        channel.writeInbound(stream.retainedSlice(0, stream.readableBytes() - 10));
        stream.release();
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        assertThat(events).singleElement().isInstanceOfSatisfying(DownloadEvent.Failed.class, f -> {
            assertThat(f.error().code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(f.error()).hasMessageContaining("chunk 1").hasMessageContaining("srv:7300");
        });
    }

    @Test
    void extraBytesFailTheChunk() {
        byte[] data = random(CHUNK);
        channel.writeInbound(stream(header(0, data), data));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isInstanceOfSatisfying(DownloadEvent.Failed.class,
                f -> assertThat(f.error()).hasMessageContaining("more than"));
    }

    @Test
    void aHeaderThatDoesNotMatchThePlanIsRefusedBeforeThePayload() {
        byte[] data = random(CHUNK);
        ChunkHeader wrongOffset = new ChunkHeader(42, 1, 5, CHUNK, Encoding.RAW, CHUNK, ChecksumAlgorithm.SHA256,
                Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(data))));
        channel.writeInbound(stream(wrongOffset, new byte[0]));
        assertThat(events).singleElement().isInstanceOfSatisfying(DownloadEvent.Failed.class, f -> {
            assertThat(f.error().code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(f.error()).hasMessageContaining("offset 5").hasMessageContaining("dir/f.bin");
        });
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHeaderOfAnotherTransferIsRefused() {
        byte[] data = random(CHUNK);
        ChunkHeader other = new ChunkHeader(41, 0, 0, CHUNK, Encoding.RAW, CHUNK, ChecksumAlgorithm.SHA256,
                Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(data))));
        channel.writeInbound(stream(other, data));
        assertThat(events).singleElement().isInstanceOfSatisfying(DownloadEvent.Failed.class,
                f -> assertThat(f.error()).hasMessageContaining("transfer 41"));
    }

    @Test
    void aCorruptPayloadArrivesButFailsVerification() {
        byte[] data = random(CHUNK);
        ChunkHeader header = header(0, data);
        data[100] ^= 1;
        channel.writeInbound(stream(header, data));
        DownloadEvent.ChunkArrived c = (DownloadEvent.ChunkArrived) events.get(0);
        assertThat(verifier.verify(c.header(), c.payload().nioBuffer())).isFalse();
    }

    private static ChunkHeader header(int chunk, byte[] data) {
        return new ChunkHeader(42, chunk, PLAN.offset(chunk), data.length, Encoding.RAW, data.length,
                ChecksumAlgorithm.SHA256, Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(data))));
    }

    private static ByteBuf stream(ChunkHeader header, byte[] data) {
        return Unpooled.buffer().writeBytes(header.encode()).writeBytes(data);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
