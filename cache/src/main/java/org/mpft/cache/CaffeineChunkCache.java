package org.mpft.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ChunkCache} on a Caffeine cache weighed by chunk length. The copies' memory is reused once an entry is
 * gone and nothing reads it ({@link StoredChunk}, {@link ChunkMemory}).
 */
final class CaffeineChunkCache implements ChunkCache {

    /** Memory of removed entries kept for the next copies, at most (or the bound, when smaller). */
    static final long IDLE_MEMORY = 32L * 1024 * 1024;

    private final Cache<ChunkKey, StoredChunk> cache;
    private final Policy.Eviction<ChunkKey, StoredChunk> eviction;
    private final long maximumBytes;
    private final boolean direct;
    private final ChunkMemory memory;

    CaffeineChunkCache(long maximumBytes, boolean direct) {
        this.maximumBytes = maximumBytes;
        this.direct = direct;
        this.memory = new ChunkMemory(direct, Math.min(IDLE_MEMORY, maximumBytes));
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                .weigher((ChunkKey key, StoredChunk chunk) -> chunk.length())
                // Maintenance (eviction) and the removal listener on the writing thread: the bound does not wait
                // for a busy common pool, after cleanUp() it holds exactly, and an evicted chunk's memory is back
                // for the next copy at once.
                .executor(Runnable::run)
                .removalListener((ChunkKey key, StoredChunk chunk, RemovalCause cause) -> {
                    if (chunk != null) {
                        chunk.release();
                    }
                })
                .recordStats()
                .build();
        this.eviction = cache.policy().eviction().orElseThrow();
    }

    @Override
    public Optional<ByteBuffer> get(ChunkKey key) {
        Objects.requireNonNull(key, "key");
        StoredChunk stored = cache.getIfPresent(key);
        return stored == null ? Optional.empty() : Optional.ofNullable(stored.viewIfHeld());
    }

    @Override
    public boolean copyTo(ChunkKey key, ByteBuffer target) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        if (target.remaining() < key.length()) {
            throw new IllegalArgumentException("chunk " + key.index() + " of " + key.file().path() + " has "
                    + key.length() + " bytes, the target room for " + target.remaining());
        }
        StoredChunk stored = cache.getIfPresent(key);
        return stored != null && stored.copyTo(target);
    }

    @Override
    public ByteBuffer get(ChunkKey key, ChunkLoader loader) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        while (true) {
            // a chunk loaded here is marked viewed before anyone sees it, so its view is always there; one found
            // held may have been removed and its memory reused since, and is then loaded again
            ByteBuffer view = Loading.get(cache, key,
                    k -> ChunkBuffers.store(ChunkBuffers.load(k, loader), memory).viewed()).viewIfHeld();
            if (view != null) {
                return view;
            }
        }
    }

    @Override
    public void put(ChunkKey key, ByteBuffer chunk) {
        Objects.requireNonNull(key, "key");
        ChunkBuffers.checkLength(key, chunk);
        cache.put(key, ChunkBuffers.store(chunk, memory));
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

    /** Memory of removed chunks waiting for the next copy, bytes. */
    long idleMemoryBytes() {
        return memory.idleBytes();
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
