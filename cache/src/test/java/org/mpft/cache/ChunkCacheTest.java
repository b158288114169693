package org.mpft.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mpft.cache.Chunks.bytes;
import static org.mpft.cache.Chunks.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkCacheTest {

    private static final int CHUNK = 4096;
    private static final FileIdentity FILE = Chunks.file("data/big.iso", 10L * CHUNK, 1_000);

    private static ChunkKey key(int index) {
        return new ChunkKey(FILE, CHUNK, index);
    }

    private static ChunkCache cache(boolean direct) {
        return ChunkCache.builder().maximumBytes(1 << 20).directBuffers(direct).build();
    }

    @Test
    void defaults() {
        ChunkCache cache = ChunkCache.builder().build();
        assertThat(cache.maximumBytes()).isEqualTo(ChunkCache.DEFAULT_MAXIMUM_BYTES).isEqualTo(64L << 20);
        cache.put(key(0), bytes(key(0), 1));
        assertThat(cache.get(key(0))).get().matches(ByteBuffer::isDirect);
        assertThatThrownBy(() -> ChunkCache.builder().maximumBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void putThenGetReturnsTheBytes(boolean direct) {
        ChunkCache cache = cache(direct);
        assertThat(cache.get(key(0))).isEmpty();
        cache.put(key(0), bytes(key(0), 7));

        ByteBuffer got = cache.get(key(0)).orElseThrow();
        assertThat(got.isDirect()).isEqualTo(direct);
        assertThat(got.isReadOnly()).isTrue();
        assertThat(got.position()).isZero();
        assertThat(got.remaining()).isEqualTo(CHUNK);
        assertThat(content(got)).isEqualTo(content(bytes(key(0), 7)));
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void putCopiesWithoutMovingTheSource(boolean direct) {
        ChunkCache cache = cache(direct);
        ByteBuffer source = bytes(key(1), 3);
        byte[] expected = content(source);

        cache.put(key(1), source);
        assertThat(source.position()).isZero();
        source.put(0, (byte) 99); // the caller reuses its buffer

        assertThat(content(cache.get(key(1)).orElseThrow())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void returnedBuffersAreIndependentReadOnlyViews(boolean direct) throws IOException {
        ChunkCache cache = cache(direct);
        cache.put(key(0), bytes(key(0), 5));

        ByteBuffer first = cache.get(key(0)).orElseThrow();
        ByteBuffer second = cache.get(key(0)).orElseThrow();
        first.position(100).limit(200);
        first.get(new byte[50]);

        assertThat(second.position()).isZero();
        assertThat(second.limit()).isEqualTo(CHUNK);
        assertThat(cache.get(key(0), k -> {
            throw new AssertionError("held");
        }).position()).isZero();
        assertThatThrownBy(() -> second.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(content(cache.get(key(0)).orElseThrow())).isEqualTo(content(bytes(key(0), 5)));
    }

    @Test
    void rejectsAChunkOfTheWrongLength() {
        ChunkCache cache = cache(true);
        ChunkKey last = key(9);
        assertThatThrownBy(() -> cache.put(key(0), ByteBuffer.allocate(CHUNK - 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4096");
        assertThatThrownBy(() -> cache.put(key(0), null)).isInstanceOf(NullPointerException.class);
        cache.put(last, ByteBuffer.allocate(CHUNK)); // the last chunk of a 10-chunk file is full here
        assertThat(cache.get(last)).isPresent();
    }

    @Test
    void loaderLoadsOnceThenHits() throws IOException {
        ChunkCache cache = cache(true);
        AtomicInteger calls = new AtomicInteger();
        ChunkLoader loader = k -> {
            calls.incrementAndGet();
            return bytes(k, 11);
        };

        ByteBuffer first = cache.get(key(2), loader);
        ByteBuffer second = cache.get(key(2), loader);

        assertThat(calls).hasValue(1);
        assertThat(content(first)).isEqualTo(content(second)).isEqualTo(content(bytes(key(2), 11)));
        assertThat(first).isNotSameAs(second);
        assertThat(first.isReadOnly()).isTrue();
    }

    @Test
    void theLoaderMayReuseItsBuffer() throws IOException {
        ChunkCache cache = cache(true);
        ByteBuffer pooled = ByteBuffer.allocateDirect(CHUNK);
        ChunkLoader loader = k -> pooled.clear().put(bytes(k, 21)).flip();

        ByteBuffer got = cache.get(key(3), loader);
        pooled.clear().put(bytes(key(3), 42)).flip();

        assertThat(content(got)).isEqualTo(content(bytes(key(3), 21)));
        assertThat(content(cache.get(key(3)).orElseThrow())).isEqualTo(content(bytes(key(3), 21)));
    }

    @Test
    void aFailedLoadThrowsAndStoresNothing() throws IOException {
        ChunkCache cache = cache(true);
        IOException failure = new IOException("disk on fire");

        assertThatThrownBy(() -> cache.get(key(4), k -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(cache.get(key(4))).isEmpty();
        assertThat(content(cache.get(key(4), k -> bytes(k, 1)))).isEqualTo(content(bytes(key(4), 1)));
    }

    @Test
    void aShortReadIsAnIoExceptionAndNotCached() {
        ChunkCache cache = cache(true);
        assertThatThrownBy(() -> cache.get(key(5), k -> ByteBuffer.allocate(CHUNK / 2)))
                .isInstanceOf(IOException.class)
                .hasMessage("chunk 5 of data/big.iso has 2048 bytes, expected 4096");
        assertThatThrownBy(() -> cache.get(key(5), k -> null)).isInstanceOf(NullPointerException.class);
        assertThat(cache.get(key(5))).isEmpty();
        assertThat(cache.stats().entryCount()).isZero();
    }

    @Test
    void aChangedFileIsNeverServedStaleBytes() throws IOException {
        ChunkCache cache = cache(true);
        FileIdentity v1 = Chunks.file("data/report.csv", 3L * CHUNK, 1_000);
        FileIdentity v2 = Chunks.file("data/report.csv", 3L * CHUNK, 2_000); // rewritten, same size
        FileIdentity v3 = Chunks.file("data/report.csv", 3L * CHUNK + 1, 2_000); // appended, same mtime
        for (int i = 0; i < 3; i++) {
            ChunkKey k = new ChunkKey(v1, CHUNK, i);
            cache.put(k, bytes(k, 1));
        }

        assertThat(cache.get(new ChunkKey(v2, CHUNK, 0))).isEmpty();
        assertThat(cache.get(new ChunkKey(v3, CHUNK, 0))).isEmpty();
        ByteBuffer fresh = cache.get(new ChunkKey(v2, CHUNK, 0), k -> bytes(k, 2));
        assertThat(content(fresh)).isEqualTo(content(bytes(new ChunkKey(v2, CHUNK, 0), 2)));

        cache.invalidateFile(v1);
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get(new ChunkKey(v1, CHUNK, i))).isEmpty();
        }
        assertThat(cache.get(new ChunkKey(v2, CHUNK, 0))).isPresent();
        assertThat(cache.stats().evictions()).isZero();
    }

    @Test
    void invalidateFileDropsEveryChunkSizeOfThatVersionOnly() {
        ChunkCache cache = cache(true);
        FileIdentity other = Chunks.file("data/other.iso", 10L * CHUNK, 1_000);
        ChunkKey small = key(1);
        ChunkKey large = new ChunkKey(FILE, 2 * CHUNK, 1);
        ChunkKey otherKey = new ChunkKey(other, CHUNK, 1);
        cache.put(small, bytes(small, 1));
        cache.put(large, bytes(large, 1));
        cache.put(otherKey, bytes(otherKey, 1));

        cache.invalidateFile(FILE);

        assertThat(cache.get(small)).isEmpty();
        assertThat(cache.get(large)).isEmpty();
        assertThat(cache.get(otherKey)).isPresent();
    }

    @Test
    void invalidatePathDropsEveryVersion() {
        ChunkCache cache = cache(true);
        FileIdentity v2 = Chunks.file(FILE.path(), FILE.size(), FILE.mtimeMillis() + 1);
        ChunkKey old = key(0);
        ChunkKey current = new ChunkKey(v2, CHUNK, 0);
        ChunkKey unrelated = new ChunkKey(Chunks.file("data/big.iso.sha256", CHUNK, 1), CHUNK, 0);
        cache.put(old, bytes(old, 1));
        cache.put(current, bytes(current, 1));
        cache.put(unrelated, bytes(unrelated, 1));

        cache.invalidatePath(FILE.path());

        assertThat(cache.get(old)).isEmpty();
        assertThat(cache.get(current)).isEmpty();
        assertThat(cache.get(unrelated)).isPresent();
        cache.invalidateAll();
        assertThat(cache.stats().entryCount()).isZero();
        assertThat(cache.stats().weightedSizeBytes()).isZero();
    }

    @Test
    void statsCountADeterministicSequenceExactly() throws IOException {
        ChunkCache cache = cache(true);
        ChunkLoader loader = k -> bytes(k, 0);

        cache.get(key(0));                                  // miss 1
        cache.put(key(0), bytes(key(0), 0));
        cache.get(key(0));                                  // hit 1
        cache.get(key(1), loader);                          // miss 2 (loads)
        cache.get(key(1), loader);                          // hit 2
        cache.get(key(1));                                  // hit 3
        cache.get(key(2));                                  // miss 3
        assertThatThrownBy(() -> cache.get(key(3), k -> {   // miss 4 (load fails)
            throw new IOException("no");
        })).isInstanceOf(IOException.class);
        cache.invalidate(key(0));
        cache.get(key(0));                                  // miss 5

        assertThat(cache.stats()).isEqualTo(new CacheStats(3, 5, 0, 0, CHUNK, 1));
        assertThat(cache.stats().hitRate()).isEqualTo(3.0 / 8);
    }

    @Test
    void evictionsAccountForEveryByteBeyondTheBound() {
        int capacity = 10;
        ChunkCache cache = ChunkCache.builder().maximumBytes((long) capacity * CHUNK).build();
        FileIdentity big = Chunks.file("data/huge", 100L * CHUNK, 1);
        int puts = 40;
        for (int i = 0; i < puts; i++) {
            ChunkKey k = new ChunkKey(big, CHUNK, i);
            cache.put(k, bytes(k, i));
        }

        CacheStats stats = cache.stats();
        assertThat(stats.weightedSizeBytes()).isLessThanOrEqualTo(cache.maximumBytes())
                .isEqualTo(stats.entryCount() * CHUNK);
        assertThat(stats.evictions()).isGreaterThanOrEqualTo(puts - capacity)
                .isEqualTo(puts - stats.entryCount());
        assertThat(stats.evictedBytes()).isEqualTo(stats.evictions() * CHUNK);
    }

    @Test
    void aChunkHeavierThanTheBoundIsNotKept() {
        ChunkCache cache = ChunkCache.builder().maximumBytes(CHUNK - 1).build();
        cache.put(key(0), bytes(key(0), 0));

        assertThat(cache.get(key(0))).isEmpty();
        assertThat(cache.stats().weightedSizeBytes()).isZero();
        assertThat(cache.stats().evictions()).isEqualTo(1);
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {true, false})
    void aDisabledCacheStoresNothingAndAlwaysLoads(boolean direct) throws IOException {
        ChunkCache cache = ChunkCache.builder().maximumBytes(0).directBuffers(direct).build();
        AtomicInteger calls = new AtomicInteger();
        ByteBuffer pooled = ByteBuffer.allocate(CHUNK);
        ChunkLoader loader = k -> {
            calls.incrementAndGet();
            return pooled.clear().put(bytes(k, 9)).flip();
        };

        cache.put(key(0), bytes(key(0), 0));
        assertThat(cache.get(key(0))).isEmpty();
        ByteBuffer first = cache.get(key(1), loader);
        pooled.clear().put(bytes(key(1), 77)).flip(); // reused by its owner
        ByteBuffer second = cache.get(key(1), loader);

        assertThat(calls).hasValue(2);
        assertThat(first.isReadOnly()).isTrue();
        assertThat(first.isDirect()).isEqualTo(direct);
        assertThat(content(first)).isEqualTo(content(second)).isEqualTo(content(bytes(key(1), 9)));
        assertThat(cache.maximumBytes()).isZero();
        assertThat(cache.stats()).isEqualTo(new CacheStats(0, 3, 0, 0, 0, 0));
        assertThatThrownBy(() -> cache.put(key(0), ByteBuffer.allocate(1))).isInstanceOf(IllegalArgumentException.class);
        cache.invalidateFile(FILE);
        cache.invalidatePath(FILE.path());
        cache.invalidate(key(0));
        cache.invalidateAll();
        cache.cleanUp();
        assertThat(cache.stats().entryCount()).isZero();
    }
}
