package org.mpft.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mpft.cache.Chunks.bytes;
import static org.mpft.cache.Chunks.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChunkCacheConcurrencyTest {

    private static final int THREADS = 8;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest(name = "maximumBytes={0}, direct={1}")
    @CsvSource({"65536, true", "1048576, true", "1048576, false", "8388608, true"})
    void theWeightBoundHoldsUnderConcurrentPutsOfVariedSizes(long maximumBytes, boolean direct) throws Exception {
        ChunkCache cache = ChunkCache.builder().maximumBytes(maximumBytes).directBuffers(direct).build();
        int putsPerThread = 3_000;
        LongAdder bytesPut = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                start.await();
                SplittableRandom random = new SplittableRandom(thread);
                for (int i = 0; i < putsPerThread; i++) {
                    // every put a new key, so bytes put = bytes held + bytes evicted, exactly
                    int size = 1 + random.nextInt(32 * 1024);
                    ChunkKey key = new ChunkKey(new FileIdentity("t" + thread + "/f" + i, size, 1), size, 0);
                    cache.put(key, bytes(key, i));
                    bytesPut.add(size);
                    if (i % 3 == 0) {
                        cache.get(key); // reads feed the frequency sketch and the read buffer too
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get();
        }

        cache.cleanUp();
        CacheStats stats = cache.stats();
        assertThat(stats.weightedSizeBytes()).isLessThanOrEqualTo(maximumBytes);
        assertThat(stats.weightedSizeBytes() + stats.evictedBytes()).isEqualTo(bytesPut.sum());
        assertThat(stats.entryCount() + stats.evictions()).isEqualTo((long) THREADS * putsPerThread);
        assertThat(stats.evictions()).isPositive();
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void concurrentRequestsForOneKeyLoadItOnce(boolean direct) throws Exception {
        ChunkCache cache = ChunkCache.builder().directBuffers(direct).build();
        ChunkKey key = new ChunkKey(new FileIdentity("hot.bin", 1 << 20, 5), 1 << 20, 0);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch start = new CountDownLatch(1);
        Set<Thread> callerThreads = ConcurrentHashMap.newKeySet();
        ChunkLoader slowLoader = k -> {
            calls.incrementAndGet();
            loading.countDown();
            // every other running caller asks for the key while it loads
            Waiters.awaitOthersParkedIn(callerThreads, THREADS - 1, ChunkCache.class, "get");
            return bytes(k, 3);
        };

        List<Future<ByteBuffer>> results = new ArrayList<>();
        int callers = THREADS * 4;
        for (int t = 0; t < callers; t++) {
            results.add(pool.submit(() -> {
                callerThreads.add(Thread.currentThread());
                start.await();
                try {
                    return cache.get(key, slowLoader);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        start.countDown();
        List<ByteBuffer> buffers = new ArrayList<>();
        for (Future<ByteBuffer> result : results) {
            buffers.add(result.get());
        }

        assertThat(calls).hasValue(1);
        byte[] expected = content(bytes(key, 3));
        for (ByteBuffer buffer : buffers) {
            assertThat(buffer.position()).isZero();
            assertThat(content(buffer)).isEqualTo(expected);
        }
        buffers.get(0).position(1000); // each caller has its own view
        assertThat(buffers.get(1).position()).isZero();
        CacheStats stats = cache.stats();
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.hits()).isEqualTo(callers - 1);
        assertThat(stats.entryCount()).isEqualTo(1);
    }

    @Test
    void aFailedLoadIsNotSharedWithTheNextCaller() throws Exception {
        ChunkCache cache = ChunkCache.builder().build();
        ChunkKey key = new ChunkKey(new FileIdentity("flaky.bin", 4096, 1), 4096, 0);
        CountDownLatch inLoader = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        Future<ByteBuffer> failing = pool.submit(() -> cache.get(key, k -> {
            inLoader.countDown();
            try {
                fail.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("read error");
        }));
        assertThat(inLoader.await(10, TimeUnit.SECONDS)).isTrue();
        Future<ByteBuffer> second = pool.submit(() -> cache.get(key, k -> bytes(k, 8))); // waits for the first
        fail.countDown();

        assertThat(catchThrowable(failing::get))
                .hasCauseInstanceOf(IOException.class).hasRootCauseMessage("read error");
        assertThat(content(second.get())).isEqualTo(content(bytes(key, 8)));
        assertThat(content(cache.get(key).orElseThrow())).isEqualTo(content(bytes(key, 8)));
    }
}
