package org.mpft.plugin.primary;

import org.mpft.plugin.schedule.AlternateStrategy;
import org.mpft.plugin.send.ChunkOutlet;
import org.mpft.plugin.send.ChunkPrefetcher;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.Transfer;
import org.mpft.plugin.testsupport.Pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Strategy;

/**
 * The primary's sender with a read-ahead: a counting file shows the chunks the path gets next are read
 * before they are handed out, and only once; stopping the sender releases every buffer read ahead.
 */
@Timeout(30)
class ChunkSenderPrefetchTest {

    private static final int CHUNK = 4096;

    private final List<ChunkHeader> sent = new ArrayList<>();
    private final List<ByteBuf> payloads = new ArrayList<>();
    private final List<ByteBuf> allocated = new ArrayList<>();
    /** chunk index -> times the file was read at that chunk's offset */
    private final Map<Integer, AtomicInteger> fileReads = new ConcurrentHashMap<>();

    private final ChunkOutlet outlet = new ChunkOutlet() {
        @Override
        public void send(ChunkHeader header, ByteBuf payload, org.mpft.plugin.send.SendBudget.Lease lease,
                         Runnable onFailure) {
            sent.add(header);
            payloads.add(payload);
        }

        @Override
        public void abortAll() {
        }
    };

    @AfterEach
    void release() {
        payloads.forEach(b -> {
            if (b.refCnt() > 0) {
                b.release();
            }
        });
    }



    @Test
    void readsAheadTheChunksThePathGetsNextAndSendsThemWithoutReadingAgain() {
        byte[] data = random(12 * CHUNK);
        List<Runnable> aheadQueue = new ArrayList<>();
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(1 << 20);
        ChunkCoordinator coordinator = coordinator(12);
        Transfer transfer = transfer(data);
        ChunkReader reader = Pipelines.reader(allocator());
        ChunkPrefetcher prefetcher = new ChunkPrefetcher.Pool(aheadQueue::add, budget, 3).forPath(reader, transfer);
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator, reader, outlet, Runnable::run,
                Runnable::run, 2, (c, e) -> { throw new AssertionError(c + ": " + e); }, prefetcher,
                new org.mpft.plugin.send.SendBudget(Long.MAX_VALUE / 2).connection(Long.MAX_VALUE / 2));
        coordinator.addPath(sender);
        coordinator.start(new BitSet());

        assertThat(sent).extracting(ChunkHeader::chunk).containsExactly(0, 1);
        assertThat(aheadQueue).hasSize(3); // chunks 2, 3, 4 queued for reading ahead
        runAll(aheadQueue);
        assertThat(reads()).containsOnlyKeys(0, 1, 2, 3, 4); // read before anyone asked for 2..4
        assertThat(prefetcher.held()).isEqualTo(3);
        assertThat(budget.used()).isEqualTo(3L * CHUNK);

        coordinator.acked(0);
        assertThat(sent).extracting(ChunkHeader::chunk).containsExactly(0, 1, 2);
        assertThat(prefetcher.hits()).isEqualTo(1);
        runAll(aheadQueue); // chunk 5 joins
        for (int chunk = 1; chunk < 12; chunk++) {
            coordinator.acked(chunk);
            runAll(aheadQueue);
            assertThat(prefetcher.held()).isLessThanOrEqualTo(3);
            assertThat(budget.used()).isLessThanOrEqualTo(3L * CHUNK);
        }
        assertThat(coordinator.isComplete()).isTrue();
        assertThat(sent).extracting(ChunkHeader::chunk).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // every chunk came from the disk exactly once, ten of them through the read-ahead
        assertThat(reads().values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        assertThat(reads()).hasSize(12);
        assertThat(prefetcher.hits()).isEqualTo(10);
        assertThat(prefetcher.wasted()).isZero();
        assertThat(budget.used()).isZero();
        for (int i = 0; i < sent.size(); i++) {
            ChunkHeader h = sent.get(i);
            byte[] bytes = new byte[h.length()];
            payloads.get(i).getBytes(payloads.get(i).readerIndex(), bytes);
            assertThat(bytes).isEqualTo(java.util.Arrays.copyOfRange(data, (int) h.offset(), (int) h.offset() + CHUNK));
            assertThat(ChecksumAlgorithm.SHA256.verify(ByteBuffer.wrap(bytes), h.checksum().toByteArray())).isTrue();
        }
    }
    @Test
    void aChunkHandedOutIsTakenFromItsReadAheadEvenWhenItsReadRunsLater() {
        byte[] data = random(8 * CHUNK);
        List<Runnable> aheadQueue = new ArrayList<>();
        List<Runnable> ioQueue = new ArrayList<>();
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(1 << 20);
        ChunkCoordinator coordinator = coordinator(8);
        Transfer transfer = transfer(data);
        ChunkReader reader = Pipelines.reader(allocator());
        ChunkPrefetcher prefetcher = new ChunkPrefetcher.Pool(aheadQueue::add, budget, 2).forPath(reader, transfer);
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator, reader, outlet, ioQueue::add,
                Runnable::run, 1, (c, e) -> { throw new AssertionError(c + ": " + e); }, prefetcher,
                new org.mpft.plugin.send.SendBudget(Long.MAX_VALUE / 2).connection(Long.MAX_VALUE / 2));
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        runAll(ioQueue);
        runAll(aheadQueue); // 1 and 2 read ahead
        for (int chunk = 0; chunk < 7; chunk++) {
            coordinator.acked(chunk); // hands out chunk + 1, then asks ahead() for the ones after it
            runAll(ioQueue);          // only now the sender's read of chunk + 1 runs
            runAll(aheadQueue);
        }
        coordinator.acked(7);
        assertThat(coordinator.isComplete()).isTrue();
        assertThat(reads().values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        assertThat(prefetcher.hits()).isEqualTo(7);
        assertThat(budget.used()).isZero();
    }
    @Test
    void stoppingTheSenderReleasesEveryBufferReadAhead() {
        byte[] data = random(10 * CHUNK);
        List<Runnable> queue = new ArrayList<>();
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(1 << 20);
        ChunkCoordinator coordinator = coordinator(10);
        Transfer transfer = transfer(data);
        ChunkReader reader = Pipelines.reader(allocator());
        ChunkPrefetcher prefetcher = new ChunkPrefetcher.Pool(queue::add, budget, 4).forPath(reader, transfer);
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator, reader, outlet, Runnable::run,
                Runnable::run, 2, (c, e) -> { }, prefetcher,
                new org.mpft.plugin.send.SendBudget(Long.MAX_VALUE / 2).connection(Long.MAX_VALUE / 2));
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        runAll(queue);
        assertThat(prefetcher.held()).isEqualTo(4);

        sender.stop();
        payloads.forEach(ByteBuf::release); // the outlet's two chunks: aborted
        payloads.clear();
        assertThat(allocated).hasSize(6).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        assertThat(budget.used()).isZero();
        prefetcher.ahead(new int[] {6, 7}); // after the stop: nothing more is read
        assertThat(queue).isEmpty();
    }

    /** A single-path coordinator of {@code chunkCount} minimum-size chunks. */
    private static ChunkCoordinator coordinator(int chunkCount) {
        return new ChunkCoordinator(new ChunkPlan((long) chunkCount * ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MIN_CHUNK_SIZE),
                new AlternateStrategy(Integer.MAX_VALUE), 16, System::nanoTime);
    }

    private Map<Integer, Integer> reads() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        fileReads.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static void runAll(List<Runnable> queue) {
        while (!queue.isEmpty()) {
            queue.remove(0).run();
        }
    }

    private Transfer transfer(byte[] data) {
        return new Transfer(7, Principal.of("alice"), "f.bin", countingFile(data),
                new ChunkPlan(data.length, CHUNK), ChecksumAlgorithm.SHA256, System.nanoTime());
    }

    private AbstractByteBufAllocator allocator() {
        return new AbstractByteBufAllocator(true) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return Unpooled.buffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf b = Unpooled.directBuffer(initialCapacity, maxCapacity);
                synchronized (allocated) {
                    allocated.add(b);
                }
                return b;
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** A file that counts the reads starting at each chunk's offset. */
    private ReadableFile countingFile(byte[] data) {
        return new ReadableFile() {
            @Override
            public long size() {
                return data.length;
            }

            @Override
            public long lastModifiedMillis() {
                return 0;
            }

            @Override
            public int read(ByteBuffer dst, long position) {
                if (position >= data.length) {
                    return -1;
                }
                if (position % CHUNK == 0) {
                    fileReads.computeIfAbsent((int) (position / CHUNK), k -> new AtomicInteger()).incrementAndGet();
                }
                int n = (int) Math.min(dst.remaining(), data.length - position);
                dst.put(data, (int) position, n);
                return n;
            }

            @Override
            public void close() {
            }
        };
    }
}
