package org.mpft.plugin.send;

import org.mpft.plugin.testsupport.Pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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

/**
 * Read-ahead: the bytes read ahead never exceed the budget; chunks no longer expected are dropped and their
 * buffers released, also when their read ends after the close; a read-ahead not started yet is not waited for.
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
    void theBudgetBoundsTheBytesReadAheadOverAllPaths() {
        byte[] data = random(40 * CHUNK);
        ChunkPrefetcher.Budget budget = new ChunkPrefetcher.Budget(5L * CHUNK);
        List<Runnable> queue = new ArrayList<>();
        Transfer transfer = transfer(data);
        ChunkReader reader = Pipelines.reader(allocator());
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
        ChunkPrefetcher p = Pipelines.reader(allocator()).prefetcher(transfer(data), queue::add, 3, budget);
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
    void aReadAheadStillRunningAtCloseReleasesItsBufferWhenItEnds() throws Exception {
        byte[] data = random(4 * CHUNK);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        ChunkReader reader = Pipelines.reader(allocator());
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
        ChunkPrefetcher p = Pipelines.reader(allocator()).prefetcher(transfer(data), queue::add, 2, budget);
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
