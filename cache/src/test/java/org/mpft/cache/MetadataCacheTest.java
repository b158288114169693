package org.mpft.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MetadataCacheTest {

    private static final FileIdentity V1 = new FileIdentity("data/big.iso", 100, 1_000);
    private static final FileIdentity V2 = new FileIdentity("data/big.iso", 100, 2_000);

    /** What the plugin keeps per file version: the chunk digests. */
    private record Digests(int chunkSize, List<String> sha256) {
    }

    @Test
    void keepsValuesPerFileVersion() throws IOException {
        MetadataCache<Digests> cache = MetadataCache.builder().maximumEntries(10).build();
        Digests old = new Digests(4096, List.of("aa", "bb"));
        cache.put(V1, old);

        assertThat(cache.get(V1)).contains(old);
        assertThat(cache.get(V2)).isEmpty();
        assertThat(cache.get(V2, f -> new Digests(4096, List.of("cc")))).isEqualTo(new Digests(4096, List.of("cc")));

        cache.invalidate(V1);
        assertThat(cache.get(V1)).isEmpty();
        assertThat(cache.get(V2)).isPresent();
        cache.invalidatePath("data/big.iso");
        assertThat(cache.get(V2)).isEmpty();
    }

    @Test
    void defaultsAndValidation() {
        MetadataCache<String> cache = MetadataCache.builder().build();
        assertThat(cache.maximumEntries()).isEqualTo(MetadataCache.DEFAULT_MAXIMUM_ENTRIES).isEqualTo(10_000);
        assertThatThrownBy(() -> MetadataCache.builder().maximumEntries(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.put(V1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> cache.get(V1, f -> null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void statsCountExactlyAndTheBoundHolds() throws IOException {
        MetadataCache<String> cache = MetadataCache.builder().maximumEntries(3).build();
        cache.get(V1);                                          // miss
        cache.get(V1, f -> "one");                              // miss, loads
        cache.get(V1, f -> "other");                            // hit
        cache.get(V1);                                          // hit
        assertThatThrownBy(() -> cache.get(V2, f -> {           // miss, fails
            throw new IOException("unreadable");
        })).hasMessage("unreadable");
        assertThat(cache.stats()).isEqualTo(new CacheStats(2, 3, 0, 0, 0, 1));

        for (int i = 0; i < 20; i++) {
            cache.put(new FileIdentity("f" + i, i, i), "v" + i);
        }
        CacheStats stats = cache.stats();
        assertThat(stats.entryCount()).isLessThanOrEqualTo(3);
        assertThat(stats.evictions()).isEqualTo(21 - stats.entryCount());
        cache.invalidateAll();
        assertThat(cache.stats().entryCount()).isZero();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void concurrentRequestsLoadOnce() throws Exception {
        MetadataCache<List<String>> cache = MetadataCache.builder().maximumEntries(10).build();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> {
                    callers.add(Thread.currentThread());
                    start.await();
                    try {
                        return cache.get(V1, f -> {
                            calls.incrementAndGet();
                            // every other running caller asks for V1 while it loads
                            Waiters.awaitOthersParkedIn(callers, threads - 1, MetadataCache.class, "get");
                            return List.of("digest");
                        });
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            start.countDown();
            for (Future<List<String>> result : results) {
                assertThat(result.get()).containsExactly("digest");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aDisabledCacheStoresNothing() throws IOException {
        MetadataCache<String> cache = MetadataCache.builder().maximumEntries(0).build();
        AtomicInteger calls = new AtomicInteger();
        cache.put(V1, "x");
        assertThat(cache.get(V1)).isEmpty();
        assertThat(cache.get(V1, f -> "v" + calls.incrementAndGet())).isEqualTo("v1");
        assertThat(cache.get(V1, f -> "v" + calls.incrementAndGet())).isEqualTo("v2");
        assertThat(cache.stats()).isEqualTo(new CacheStats(0, 3, 0, 0, 0, 0));
        cache.invalidate(V1);
        cache.invalidatePath(V1.path());
        cache.invalidateAll();
        cache.cleanUp();
        assertThat(cache.maximumEntries()).isZero();
    }
}
