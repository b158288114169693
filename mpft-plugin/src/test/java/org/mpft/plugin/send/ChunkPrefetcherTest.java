package org.mpft.plugin;

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
 * Read-ahead: a counting file shows the chunks a path gets next are read before they are handed out, and
 * only once; the bytes read ahead never exceed the budget; stopping releases every buffer read ahead.
 */
@Timeout(30)
class ChunkPrefetcherTest {

    private static final int CHUNK = 4096;

    private final List<ChunkHeader> sent = new ArrayList<>();
    private final List<ByteBuf> payloads = new ArrayList<>();
    private final List<ByteBuf> allocated = new ArrayList<>();
    /** chunk index -> times the file was read at that chunk's offset */
    private final Map<Integer, AtomicInteger> fileReads = new ConcurrentHashMap<>();

    private final ChunkOutlet outlet = new ChunkOutlet() {
        @Override
        public void send(ChunkHeader header, ByteBuf payload, Runnable onFailure) {
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
        ChunkCoordinator coordinator = new ChunkCoordinator(12);
        Transfer transfer = transfer(data);
        ChunkReader reader = new ChunkReader(allocator());
        ChunkPrefetcher prefetcher = reader.prefetcher(transfer, aheadQueue::add, 3, budget);
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator, reader, outlet, Runnable::run,
                Runnable::run, 2, (c, e) -> { throw new AssertionError(c + ": " + e); }, prefetcher);
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
        ChunkCoordinator coordinator = new ChunkCoordinator(8);
        Transfer transfer = transfer(data);
        ChunkReader reader = new ChunkReader(allocator());
        ChunkPrefetcher prefetcher = reader.prefetcher(transfer, aheadQueue::add, 2, budget);
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator, reader, outlet, ioQueue::add,
                Runnable::run, 1, (c, e) -> { throw new AssertionError(c + ": " + e); }, prefetcher);
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
    void theBudgetBoundsTheBytesReadAheadOverAllPaths() {
        byte[] data = random(40 * CHUNK);
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(5L * CHUNK);
        List<Runnable> queue = new ArrayList<>();
        Transfer transfer = transfer(data);
        ChunkReader reader = new ChunkReader(allocator());
        ChunkPrefetcher a = reader.prefetcher(transfer, queue::add, 4, budget);
        ChunkPrefetcher b = reader.prefetcher(transfer, queue::add, 4, budget);

        a.ahead(new int[] {0, 1, 2, 3, 4, 5});
        b.ahead(new int[] {20, 21, 22, 23});
        runAll(queue);
        assertThat(a.held()).isEqualTo(4); // its depth
        assertThat(b.held()).isEqualTo(1); // what the budget had left
        assertThat(budget.used()).isEqualTo(5L * CHUNK);
        assertThat(reads()).hasSize(5);

        a.close();
        b.ahead(new int[] {20, 21, 22, 23});
        runAll(queue);
        assertThat(b.held()).isEqualTo(4);
        assertThat(budget.used()).isEqualTo(4L * CHUNK);
        b.close();
        assertThat(budget.used()).isZero();
        assertThat(allocated).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    @Test
    void chunksNoLongerExpectedAreDroppedAndReleased() {
        byte[] data = random(10 * CHUNK);
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(1 << 20);
        List<Runnable> queue = new ArrayList<>();
        ChunkPrefetcher p = new ChunkReader(allocator()).prefetcher(transfer(data), queue::add, 3, budget);
        p.ahead(new int[] {1, 2, 3});
        runAll(queue);
        p.ahead(new int[] {3, 5, 7}); // another path took 1 and 2
        runAll(queue);
        assertThat(p.held()).isEqualTo(3);
        assertThat(p.wasted()).isEqualTo(2);
        assertThat(budget.used()).isEqualTo(3L * CHUNK);
        p.close();
        assertThat(budget.used()).isZero();
        assertThat(allocated).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
    }

    @Test
    void stoppingTheSenderReleasesEveryBufferReadAhead() {
        byte[] data = random(10 * CHUNK);
        List<Runnable> queue = new ArrayList<>();
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(1 << 20);
        ChunkCoordinator coordinator = new ChunkCoordinator(10);
        Transfer transfer = transfer(data);
        ChunkReader reader = new ChunkReader(allocator());
        ChunkPrefetcher prefetcher = reader.prefetcher(transfer, queue::add, 4, budget);
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator, reader, outlet, Runnable::run,
                Runnable::run, 2, (c, e) -> { }, prefetcher);
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

    @Test
    void aReadAheadStillRunningAtCloseReleasesItsBufferWhenItEnds() throws Exception {
        byte[] data = random(4 * CHUNK);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        ChunkReader reader = new ChunkReader(allocator());
        Transfer transfer = transfer(data);
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(1 << 20);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            ChunkPrefetcher p = new ChunkPrefetcher(chunk -> {
                reading.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return reader.load(transfer, chunk);
            }, pool, 1, budget, transfer.plan()::length);
            p.ahead(new int[] {2});
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            p.close();
            assertThat(budget.used()).isEqualTo(CHUNK); // still reading
            proceed.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(budget.used()).isZero();
            assertThat(allocated).hasSize(1).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
            assertThat(p.wasted()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void takingAReadAheadThatHasNotStartedReadsDirectlyInstead() throws Exception {
        byte[] data = random(4 * CHUNK);
        List<Runnable> queue = new ArrayList<>();
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(1 << 20);
        ChunkPrefetcher p = new ChunkReader(allocator()).prefetcher(transfer(data), queue::add, 2, budget);
        p.ahead(new int[] {0, 1});
        assertThat(p.take(0)).isNull(); // queued, not started: cancelled, not waited for
        assertThat(budget.used()).isEqualTo(CHUNK);
        runAll(queue);
        assertThat(reads()).containsOnlyKeys(1);
        ChunkReader.ReadChunk one = p.take(1);
        assertThat(one).isNotNull();
        assertThat(one.header().chunk()).isEqualTo(1);
        one.payload().release();
        assertThat(budget.used()).isZero();
    }

    @Test
    void alternatePredictsEachPathsOwnChunks() {
        ChunkSchedule schedule = new ChunkSchedule(new ChunkPlan(10L * CHUNK, CHUNK),
                ChunkStrategy.of(Strategy.ALTERNATE, 2, CHUNK), 3, System::nanoTime);
        schedule.addPath("primary", false);
        schedule.addPath("secondary", false);
        schedule.start(new BitSet());
        assertThat(schedule.upcoming(0, 3)).containsExactly(0, 2, 4);
        assertThat(schedule.upcoming(1, 3)).containsExactly(1, 3, 5);
        assertThat(schedule.next(0)).isZero();
        assertThat(schedule.next(0)).isEqualTo(2);
        assertThat(schedule.upcoming(0, 4)).containsExactly(4, 6, 8);
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
