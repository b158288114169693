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

/**
 * A download's chunk streams share one {@link ReceiveBudget}: a stream whose chunk finds no bytes left
 * buffers no payload and stops reading (QUIC then holds the server back) until a chunk is written and its
 * bytes come back; bytes come back on every path (written, stream failed, stream closed). Streams are
 * netty's {@link EmbeddedChannel} (a QUIC stream needs a connection; {@code MemoryBoundIT} covers QUIC).
 */
class ChunkReceiveBudgetTest {

    private static final int CHUNK = 4096;
    private static final ChunkPlan PLAN = new ChunkPlan(4 * CHUNK, CHUNK);

    private final List<DownloadEvent> events = new ArrayList<>();
    private final ChunkVerifier verifier = new ChunkVerifier(42, PLAN, ChecksumAlgorithm.SHA256, "dir/f.bin", false);
    /** room for two chunks at once */
    private final ReceiveBudget budget = new ReceiveBudget(2 * CHUNK);
    private final List<EmbeddedChannel> streams = new ArrayList<>();
    /** the streams below are one connection's */
    private final StreamOrder order = new StreamOrder();

    private EmbeddedChannel stream() {
        EmbeddedChannel channel = new EmbeddedChannel(
                new ChunkReceiver("srv:7300", id -> verifier, false, budget, order, events::add,
                        PooledByteBufAllocator.DEFAULT));
        streams.add(channel);
        return channel;
    }

    @AfterEach
    void close() {
        arrived().forEach(DownloadEvent.ChunkArrived::release);
        streams.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /**
     * The default bound is two of the largest chunks the plugin picks by default (the largest pooled chunk
     * buffer): one arrives while the one before it is written; more would only hold memory.
     */
    @Test
    void theDefaultBoundHoldsTwoOfTheLargestDefaultChunks() {
        assertThat(ReceiveBudget.DEFAULT_MAX_BYTES).isEqualTo(2L * org.mpft.transport.ChunkBuffers.LARGEST_POOLED);
    }

    @Test
    void aChunkBeyondTheBudgetWaitsUnreadUntilAnotherIsWritten() {
        EmbeddedChannel a = stream();
        EmbeddedChannel b = stream();
        EmbeddedChannel c = stream();
        byte[][] data = {random(CHUNK, 0), random(CHUNK, 1), random(CHUNK, 2)};
        a.writeInbound(header(0, data[0]));
        b.writeInbound(header(1, data[1]));
        assertThat(budget.held()).isEqualTo(2 * CHUNK);

        // the third chunk's header arrives with some payload: nothing is taken, the stream stops reading
        ByteBuf third = stream(header(2, data[2]), data[2]);
        c.writeInbound(third.readRetainedSlice(ChunkHeader.MAX_ENCODED_LENGTH + 100));
        assertThat(c.config().isAutoRead()).isFalse();
        assertThat(budget.held()).isEqualTo(2 * CHUNK);
        c.writeInbound(third); // the rest of a read under way when reading stopped is kept, not buffered as payload
        c.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE); // FIN seen while waiting
        assertThat(c.isOpen()).isTrue();
        assertThat(arrived()).isEmpty();

        a.writeInbound(Unpooled.wrappedBuffer(data[0]));
        assertThat(arrived()).extracting(x -> x.header().chunk()).containsExactly(0);
        c.runPendingTasks();
        assertThat(c.config().isAutoRead()).isFalse(); // chunk 0 is not written yet: its bytes are still held

        arrived().get(0).release(); // written to disk
        events.clear();
        c.runPendingTasks();
        assertThat(arrived()).singleElement().satisfies(x -> {
            assertThat(x.header().chunk()).isEqualTo(2);
            byte[] got = new byte[x.payload().readableBytes()];
            x.payload().getBytes(x.payload().readerIndex(), got);
            assertThat(got).isEqualTo(data[2]);
        });
        assertThat(c.isOpen()).as("the FIN seen while waiting closes the stream once the chunk is complete").isFalse();
        assertThat(events).noneMatch(e -> e instanceof DownloadEvent.Failed);
        assertThat(budget.held()).isEqualTo(2 * CHUNK); // chunks 1 (arriving) and 2 (not written yet)
    }

    @Test
    void bytesComeBackWhenAStreamFailsOrClosesBeforeItsChunkIsComplete() {
        EmbeddedChannel a = stream();
        EmbeddedChannel b = stream();
        EmbeddedChannel c = stream();
        a.writeInbound(header(0, random(CHUNK, 0)));
        b.writeInbound(header(1, random(CHUNK, 1)));
        c.writeInbound(header(2, random(CHUNK, 2)));
        assertThat(budget.held()).isEqualTo(2 * CHUNK);

        a.pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE); // short: fails
        assertThat(events).singleElement().isInstanceOf(DownloadEvent.Failed.class);
        c.runPendingTasks();
        assertThat(c.config().isAutoRead()).isTrue(); // chunk 2 has its bytes now
        b.close(); // reset by the server
        c.close();
        assertThat(budget.held()).isZero();
    }

    @Test
    void aChunkLargerThanTheWholeBudgetPassesAlone() {
        ReceiveBudget small = new ReceiveBudget(100);
        assertThat(small.tryTake(CHUNK, () -> { })).isTrue();
        List<String> woken = new ArrayList<>();
        assertThat(small.tryTake(1, () -> woken.add("next"))).isFalse();
        small.give(CHUNK);
        assertThat(woken).containsExactly("next");
        assertThat(small.held()).isZero();
    }

    @Test
    void theFirstStreamOfAConnectionStillReceivingTakesItsBytesOverTheBudget() {
        // the server sends stream 4 before stream 8: stream 8 took the budget, stream 4 must not wait behind it
        StreamOrder connection = new StreamOrder();
        ReceiveBudget one = new ReceiveBudget(CHUNK);
        long later = connection.begin(8);
        assertThat(one.tryTake(CHUNK, () -> { }, connection.first(later))).isTrue();
        long earlier = connection.begin(4);
        assertThat(connection.first(earlier)).isTrue();
        assertThat(connection.first(later)).isFalse();
        assertThat(one.tryTake(CHUNK, () -> { }, connection.first(earlier))).as("the first one, over the bound").isTrue();
        assertThat(one.held()).isEqualTo(2 * CHUNK);
        // any other stream waits as before
        long third = connection.begin(12);
        List<String> woken = new ArrayList<>();
        assertThat(one.tryTake(CHUNK, () -> woken.add("12"), connection.first(third))).isFalse();
        connection.end(earlier);
        assertThat(connection.first(later)).isTrue();
        one.give(CHUNK);
        assertThat(woken).containsExactly("12");
    }

    @Test
    void aFirstStreamWaitsWhileTheBoundIsAlreadyExceeded() {
        // a writer slower than the network: each chunk that completes makes the next stream the first, and were
        // every first stream let through, the buffered chunks would grow without a bound
        StreamOrder connection = new StreamOrder();
        ReceiveBudget one = new ReceiveBudget(CHUNK);
        long a = connection.begin(4);
        assertThat(one.tryTake(CHUNK, () -> { }, connection.first(a))).isTrue();
        long b = connection.begin(8);
        connection.end(a); // a's chunk is complete and waits to be written
        assertThat(connection.first(b)).isTrue();
        assertThat(one.tryTake(CHUNK, () -> { }, connection.first(b))).as("the first one, over the bound").isTrue();
        long c = connection.begin(12);
        connection.end(b);
        assertThat(connection.first(c)).isTrue();
        List<String> woken = new ArrayList<>();
        assertThat(one.tryTake(CHUNK, () -> woken.add("12"), connection.first(c))).as("already over the bound").isFalse();
        assertThat(one.held()).isEqualTo(2 * CHUNK);
        one.give(CHUNK); // a's chunk written
        assertThat(woken).containsExactly("12");
        assertThat(one.tryTake(CHUNK, () -> { }, connection.first(c))).as("the first one, over the bound again").isTrue();
        assertThat(one.held()).isEqualTo(2 * CHUNK);
    }

    private List<DownloadEvent.ChunkArrived> arrived() {
        List<DownloadEvent.ChunkArrived> list = new ArrayList<>();
        for (DownloadEvent e : events) {
            if (e instanceof DownloadEvent.ChunkArrived c) {
                list.add(c);
            }
        }
        return list;
    }

    private static ByteBuf header(int chunk, byte[] data) {
        return Unpooled.wrappedBuffer(chunkHeader(chunk, data).encode());
    }

    private static ChunkHeader chunkHeader(int chunk, byte[] data) {
        return new ChunkHeader(42, chunk, PLAN.offset(chunk), data.length, Encoding.RAW, data.length,
                ChecksumAlgorithm.SHA256, Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(data))));
    }

    private static ByteBuf stream(ByteBuf header, byte[] data) {
        return Unpooled.buffer().writeBytes(header).writeBytes(data);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
