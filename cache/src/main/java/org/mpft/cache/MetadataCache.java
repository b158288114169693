package org.mpft.cache;

import java.io.IOException;
import java.util.Optional;

/**
 * A small cache of per-file-version values (metadata, the list of chunk digests of a version), keyed by
 * {@link FileIdentity} and bounded by the number of entries. Thread-safe.
 *
 * <p>Values are shared, not copied: store immutable values ({@code List.copyOf}, records). Eviction runs on the
 * writing thread, as in {@link ChunkCache}. With {@code maximumEntries(0)} the cache is disabled: nothing is
 * stored, every lookup misses and the loader runs on every call.
 *
 * <pre>{@code
 * MetadataCache<List<Digest>> digests = MetadataCache.builder().maximumEntries(1_000).build();
 * List<Digest> list = digests.get(file, f -> List.copyOf(readDigests(f)));
 * }</pre>
 *
 * @param <V> the value type
 */
public interface MetadataCache<V> {

    /** The default bound, {@value} entries. */
    long DEFAULT_MAXIMUM_ENTRIES = 10_000;

    /**
     * A builder with the default bound, {@link #DEFAULT_MAXIMUM_ENTRIES}.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Looks a value up. Counts a hit or a miss.
     *
     * @param file the file version
     * @return the value held for exactly this version, or empty
     */
    Optional<V> get(FileIdentity file);

    /**
     * Returns the value, computing it with {@code loader} if it is not held. Concurrent calls for one file
     * version call the loader once. If the loader fails, nothing is stored and this call throws. Counts a hit, or
     * a miss when it loads.
     *
     * @param file   the file version
     * @param loader computes the value on a miss; must not call back into this cache
     * @return the value, never {@code null}
     * @throws IOException          if the loader throws one
     * @throws NullPointerException if the loader returns {@code null}
     */
    V get(FileIdentity file, MetadataLoader<? extends V> loader) throws IOException;

    /**
     * Stores a value, replacing any value held for the file version. Does nothing when the cache is disabled.
     *
     * @param file  the file version
     * @param value the value, never {@code null}
     */
    void put(FileIdentity file, V value);

    /**
     * Drops the value of one file version, if held. Does not count as an eviction.
     *
     * @param file the file version
     */
    void invalidate(FileIdentity file);

    /**
     * Drops the values of every version of the file at {@code path}. Scans the entries: O(entries held).
     *
     * @param path the path, as in {@link FileIdentity#path()}
     */
    void invalidatePath(String path);

    /** Drops every value. Does not count as evictions. */
    void invalidateAll();

    /**
     * The bound.
     *
     * @return the maximum number of entries held; 0 when the cache is disabled
     */
    long maximumEntries();

    /** Runs pending maintenance (evictions) now; makes {@link CacheStats#entryCount()} exact in a quiet moment. */
    void cleanUp();

    /**
     * The counters since the cache was built, after {@link #cleanUp()}. Entries are not weighed: {@code
     * evictedBytes} and {@code weightedSizeBytes} are 0.
     *
     * @return a snapshot
     */
    CacheStats stats();

    /** Builds a {@link MetadataCache}. Not thread-safe; reusable. */
    final class Builder {

        private long maximumEntries = DEFAULT_MAXIMUM_ENTRIES;

        Builder() {
        }

        /**
         * The bound on the number of entries. Default {@link #DEFAULT_MAXIMUM_ENTRIES}.
         *
         * @param maximumEntries the bound, {@code >= 0}; 0 disables the cache
         * @return this builder
         * @throws IllegalArgumentException if {@code maximumEntries < 0}
         */
        public Builder maximumEntries(long maximumEntries) {
            if (maximumEntries < 0) {
                throw new IllegalArgumentException("maximumEntries " + maximumEntries + " < 0");
            }
            this.maximumEntries = maximumEntries;
            return this;
        }

        /**
         * Builds the cache.
         *
         * @param <V> the value type
         * @return a new, empty cache; a disabled one if {@link #maximumEntries(long)} is 0
         */
        public <V> MetadataCache<V> build() {
            return new CaffeineMetadataCache<>(maximumEntries);
        }
    }
}
