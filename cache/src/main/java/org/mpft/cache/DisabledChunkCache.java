package org.mpft.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** The {@link ChunkCache} built with {@code maximumBytes(0)}: stores nothing, counts misses. */
final class DisabledChunkCache implements ChunkCache {

    private final LongAdder misses = new LongAdder();
    private final boolean direct;

    DisabledChunkCache(boolean direct) {
        this.direct = direct;
    }

    @Override
    public Optional<ByteBuffer> get(ChunkKey key) {
        Objects.requireNonNull(key, "key");
        misses.increment();
        return Optional.empty();
    }

    @Override
    public ByteBuffer get(ChunkKey key, ChunkLoader loader) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        misses.increment();
        // Copied as when enabled: the loader may reuse its buffer once we return.
        return ChunkBuffers.copyOf(ChunkBuffers.load(key, loader), direct);
    }

    @Override
    public boolean copyTo(ChunkKey key, ByteBuffer target) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        misses.increment();
        return false;
    }

    @Override
    public void put(ChunkKey key, ByteBuffer chunk) {
        Objects.requireNonNull(key, "key");
        ChunkBuffers.checkLength(key, chunk);
    }

    @Override
    public void invalidate(ChunkKey key) {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public void invalidateFile(FileIdentity file) {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public void invalidatePath(String path) {
        Objects.requireNonNull(path, "path");
    }

    @Override
    public void invalidateAll() {
    }

    @Override
    public long maximumBytes() {
        return 0;
    }

    @Override
    public void cleanUp() {
    }

    @Override
    public CacheStats stats() {
        return new CacheStats(0, misses.sum(), 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "ChunkCache[disabled]";
    }
}
