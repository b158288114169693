package org.mpft.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/** {@link ChunkCache} on a Caffeine cache weighed by chunk length. */
final class CaffeineChunkCache implements ChunkCache {

    private final Cache<ChunkKey, ByteBuffer> cache;
    private final Policy.Eviction<ChunkKey, ByteBuffer> eviction;
    private final long maximumBytes;
    private final boolean direct;

    CaffeineChunkCache(long maximumBytes, boolean direct) {
        this.maximumBytes = maximumBytes;
        this.direct = direct;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                // The stored buffer is never handed out (only duplicates), so remaining() stays the chunk length.
                .weigher((ChunkKey key, ByteBuffer chunk) -> chunk.remaining())
                // Maintenance (eviction) on the writing thread: the bound does not wait for a busy common pool,
                // and after cleanUp() it holds exactly. Eviction is cheap: no removal listener does work.
                .executor(Runnable::run)
                .recordStats()
                .build();
        this.eviction = cache.policy().eviction().orElseThrow();
    }

    @Override
    public Optional<ByteBuffer> get(ChunkKey key) {
        Objects.requireNonNull(key, "key");
        ByteBuffer stored = cache.getIfPresent(key);
        return stored == null ? Optional.empty() : Optional.of(ChunkBuffers.view(stored));
    }

    @Override
    public ByteBuffer get(ChunkKey key, ChunkLoader loader) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        return ChunkBuffers.view(Loading.get(cache, key, k -> ChunkBuffers.load(k, loader, direct)));
    }

    @Override
    public void put(ChunkKey key, ByteBuffer chunk) {
        Objects.requireNonNull(key, "key");
        ChunkBuffers.checkLength(key, chunk);
        cache.put(key, ChunkBuffers.copyOf(chunk, direct));
    }

    @Override
    public void invalidate(ChunkKey key) {
        cache.invalidate(Objects.requireNonNull(key, "key"));
    }

    @Override
    public void invalidateFile(FileIdentity file) {
        Objects.requireNonNull(file, "file");
        cache.asMap().keySet().removeIf(key -> key.file().equals(file));
    }

    @Override
    public void invalidatePath(String path) {
        Objects.requireNonNull(path, "path");
        cache.asMap().keySet().removeIf(key -> key.file().path().equals(path));
    }

    @Override
    public void invalidateAll() {
        cache.invalidateAll();
    }

    @Override
    public long maximumBytes() {
        return maximumBytes;
    }

    @Override
    public void cleanUp() {
        cache.cleanUp();
    }

    @Override
    public CacheStats stats() {
        cache.cleanUp();
        com.github.benmanes.caffeine.cache.stats.CacheStats s = cache.stats();
        return new CacheStats(s.hitCount(), s.missCount(), s.evictionCount(), s.evictionWeight(),
                eviction.weightedSize().orElse(0), cache.estimatedSize());
    }

    @Override
    public String toString() {
        return "ChunkCache[maximumBytes=" + maximumBytes + ", direct=" + direct + "]";
    }
}
