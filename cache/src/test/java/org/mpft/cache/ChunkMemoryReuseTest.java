package org.mpft.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mpft.cache.Chunks.bytes;
import static org.mpft.cache.Chunks.content;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chunks copied out of the cache ({@link ChunkCache#copyTo}), and the memory of removed chunks reused. */
class ChunkMemoryReuseTest {

    private static final int CHUNK = 4096;
    private static final FileIdentity FILE = Chunks.file("data/stream.bin", 1000L * CHUNK, 1_000);

    private static ChunkKey key(int index) {
        return new ChunkKey(FILE, CHUNK, index);
    }

    private static CaffeineChunkCache cache(int chunks, boolean direct) {
        return (CaffeineChunkCache) ChunkCache.builder().maximumBytes((long) chunks * CHUNK).directBuffers(direct)
                .build();
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void copyToCopiesAHeldChunkAndCountsHitsAndMisses(boolean direct) {
        CaffeineChunkCache cache = cache(4, direct);
        cache.put(key(0), bytes(key(0), 5));
        ByteBuffer target = ByteBuffer.allocateDirect(CHUNK + 10).position(10);

        assertThat(cache.copyTo(key(0), target)).isTrue();
        assertThat(target.position()).isEqualTo(CHUNK + 10);
        assertThat(content(target.flip().position(10))).isEqualTo(content(bytes(key(0), 5)));
        assertThat(cache.copyTo(key(1), ByteBuffer.allocate(CHUNK))).isFalse();
        assertThat(cache.stats().hits()).isEqualTo(1);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @Test
    void copyToRefusesATargetWithoutRoomForTheChunk() {
        CaffeineChunkCache cache = cache(4, true);
        cache.put(key(0), bytes(key(0), 5));
        assertThatThrownBy(() -> cache.copyTo(key(0), ByteBuffer.allocate(CHUNK - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096 bytes");
    }

    @Test
    void aDisabledCacheCopiesNothing() {
        ChunkCache cache = ChunkCache.builder().maximumBytes(0).build();
        cache.put(key(0), bytes(key(0), 5));
        assertThat(cache.copyTo(key(0), ByteBuffer.allocate(CHUNK))).isFalse();
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void anEvictedChunksMemoryHoldsTheNextChunkStored(boolean direct) {
        CaffeineChunkCache cache = cache(2, direct);
        for (int i = 0; i < 3; i++) {
            cache.put(key(i), bytes(key(i), i));
        }
        cache.cleanUp();
        assertThat(cache.stats().evictions()).isEqualTo(1);
        assertThat(cache.idleMemoryBytes()).isEqualTo(CHUNK); // the evicted chunk's memory waits

        cache.put(key(3), bytes(key(3), 3));
        cache.cleanUp();
        // the new chunk took the idle memory; the chunk it evicted gave its own back
        assertThat(cache.idleMemoryBytes()).isEqualTo(CHUNK);
        for (int i = 0; i < 4; i++) {
            ByteBuffer target = ByteBuffer.allocate(CHUNK);
            if (cache.copyTo(key(i), target)) {
                assertThat(target.array()).isEqualTo(content(bytes(key(i), i)));
            }
        }
    }

    @Test
    void aViewedChunksMemoryIsNeverReused() {
        CaffeineChunkCache cache = cache(1, true);
        cache.put(key(0), bytes(key(0), 9));
        ByteBuffer view = cache.get(key(0)).orElseThrow();

        cache.put(key(1), bytes(key(1), 1)); // evicts chunk 0
        cache.put(key(2), bytes(key(2), 2));
        cache.cleanUp();

        assertThat(content(view)).isEqualTo(content(bytes(key(0), 9)));
        assertThat(cache.idleMemoryBytes()).isEqualTo(CHUNK); // chunk 1's memory, not chunk 0's
    }

    @Test
    void aRemovedChunkCannotBeCopiedOnceItsMemoryWentBack() {
        ChunkMemory memory = new ChunkMemory(true, 1 << 20);
        StoredChunk stored = ChunkBuffers.store(bytes(key(0), 4), memory);
        ByteBuffer target = ByteBuffer.allocate(CHUNK);
        assertThat(stored.copyTo(target)).isTrue();

        stored.release(); // the cache's own reference: the entry was removed
        assertThat(memory.idleBytes()).isEqualTo(CHUNK);
        assertThat(stored.copyTo(ByteBuffer.allocate(CHUNK))).isFalse();
    }

    @Test
    void aViewOfAChunkWhoseMemoryWentBackIsAMiss() {
        ChunkMemory memory = new ChunkMemory(true, 1 << 20);
        StoredChunk stored = ChunkBuffers.store(bytes(key(0), 4), memory);
        stored.release();
        assertThat(stored.viewIfHeld()).isNull();

        StoredChunk marked = ChunkBuffers.store(bytes(key(1), 5), memory).viewed();
        marked.release(); // removed, but its views may still be read: the memory stays with it
        assertThat(memory.idleBytes()).isZero();
        assertThat(content(marked.viewIfHeld())).isEqualTo(content(bytes(key(1), 5)));
    }

    @Test
    void idleMemoryStaysUnderItsLimit() {
        ChunkMemory memory = new ChunkMemory(false, 2L * CHUNK);
        for (int i = 0; i < 3; i++) {
            memory.giveBack(ByteBuffer.allocate(CHUNK));
        }
        assertThat(memory.idleBytes()).isEqualTo(2L * CHUNK);
        assertThat(memory.take(CHUNK - 100).capacity()).isEqualTo(CHUNK); // within a quarter: taken
        assertThat(memory.take(CHUNK / 2).capacity()).isEqualTo(CHUNK / 2); // too small for it: a new one
        assertThat(memory.idleBytes()).isEqualTo(CHUNK);
    }

    private record Viewed(int index, ByteBuffer view) {
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void copiesAndViewsRacingEvictionsAlwaysGetTheirChunksOwnBytes(boolean direct) throws Exception {
        CaffeineChunkCache cache = cache(4, direct);
        int threads = 4;
        int rounds = 20_000;
        AtomicInteger copied = new AtomicInteger();
        Queue<Viewed> views = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    ByteBuffer target = ByteBuffer.allocate(CHUNK);
                    for (int i = 0; i < rounds; i++) {
                        int index = (i / 2 + thread * 5) % 16; // each key put, then copied; others evict it
                        if (i % 2 == 0) {
                            cache.put(key(index), bytes(key(index), index));
                        } else if (i % 4 == 3) {
                            cache.get(key(index)).ifPresent(view -> views.add(new Viewed(index, view)));
                        } else if (cache.copyTo(key(index), target.clear())) {
                            // memory reused while this copy ran would show another chunk's bytes here
                            assertThat(Arrays.equals(target.array(), content(bytes(key(index), index))))
                                    .as("the bytes copied for chunk %d", index).isTrue();
                            copied.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : work) {
                each.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(copied.get()).isPositive();
        assertThat(views).isNotEmpty();
        for (Viewed viewed : views) {
            // a view's memory is never reused, however many chunks came and went after it
            assertThat(Arrays.equals(content(viewed.view()), content(bytes(key(viewed.index()), viewed.index()))))
                    .as("a view of chunk %d", viewed.index()).isTrue();
        }
        cache.cleanUp();
        assertThat(cache.idleMemoryBytes()).isLessThanOrEqualTo(4L * CHUNK);
    }
}
