package org.mpft.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link MetadataCache} on a Caffeine cache bounded by entry count. Disabled ({@code maximumEntries == 0}) it
 * holds no Caffeine cache at all and only counts misses: a Caffeine cache of size 0 would still store an entry
 * until its next maintenance.
 */
final class CaffeineMetadataCache<V> implements MetadataCache<V> {

    private final long maximumEntries;
    private final Cache<FileIdentity, V> cache; // null when disabled
    private final LongAdder disabledMisses = new LongAdder();

    CaffeineMetadataCache(long maximumEntries) {
        this.maximumEntries = maximumEntries;
        this.cache = maximumEntries == 0 ? null
                : Caffeine.newBuilder()
                        .maximumSize(maximumEntries)
                        .executor(Runnable::run) // eviction on the writing thread, as in CaffeineChunkCache
                        .recordStats()
                        .build();
    }

    @Override
    public Optional<V> get(FileIdentity file) {
        Objects.requireNonNull(file, "file");
        if (cache == null) {
            disabledMisses.increment();
            return Optional.empty();
        }
        return Optional.ofNullable(cache.getIfPresent(file));
    }

    @Override
    public V get(FileIdentity file, MetadataLoader<? extends V> loader) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(loader, "loader");
        Loading.IoFunction<FileIdentity, V> load = f -> Objects.requireNonNull(loader.load(f), "loader returned null");
        if (cache == null) {
            disabledMisses.increment();
            return load.apply(file);
        }
        return Loading.get(cache, file, load);
    }

    @Override
    public void put(FileIdentity file, V value) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(value, "value");
        if (cache != null) {
            cache.put(file, value);
        }
    }

    @Override
    public void invalidate(FileIdentity file) {
        Objects.requireNonNull(file, "file");
        if (cache != null) {
            cache.invalidate(file);
        }
    }

    @Override
    public void invalidatePath(String path) {
        Objects.requireNonNull(path, "path");
        if (cache != null) {
            cache.asMap().keySet().removeIf(file -> file.path().equals(path));
        }
    }

    @Override
    public void invalidateAll() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }

    @Override
    public long maximumEntries() {
        return maximumEntries;
    }

    @Override
    public void cleanUp() {
        if (cache != null) {
            cache.cleanUp();
        }
    }

    @Override
    public CacheStats stats() {
        if (cache == null) {
            return new CacheStats(0, disabledMisses.sum(), 0, 0, 0, 0);
        }
        cache.cleanUp();
        com.github.benmanes.caffeine.cache.stats.CacheStats s = cache.stats();
        return new CacheStats(s.hitCount(), s.missCount(), s.evictionCount(), 0, 0, cache.estimatedSize());
    }

    @Override
    public String toString() {
        return "MetadataCache[maximumEntries=" + maximumEntries + "]";
    }
}
