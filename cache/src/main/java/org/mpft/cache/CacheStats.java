package org.mpft.cache;

/**
 * A snapshot of a cache's counters since it was built. Immutable.
 *
 * <p>Only evictions for size count as evictions; explicit invalidation and replacement by a later
 * {@code put} do not. A {@link MetadataCache} does not weigh its entries, so its {@code evictedBytes} and
 * {@code weightedSizeBytes} are 0.
 *
 * @param hits              lookups that found an entry
 * @param misses            lookups that found none (with or without a loader)
 * @param evictions         entries removed to respect the bound
 * @param evictedBytes      the total weight of those entries, bytes
 * @param weightedSizeBytes the weight of the entries held now, bytes
 * @param entryCount        the number of entries held now
 */
public record CacheStats(long hits, long misses, long evictions, long evictedBytes, long weightedSizeBytes,
        long entryCount) {

    /** All counters zero. */
    public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0, 0);

    /**
     * Creates a snapshot.
     *
     * @param hits              lookups that found an entry, {@code >= 0}
     * @param misses            lookups that found none, {@code >= 0}
     * @param evictions         entries removed for size, {@code >= 0}
     * @param evictedBytes      their weight, bytes, {@code >= 0}
     * @param weightedSizeBytes the weight held, bytes, {@code >= 0}
     * @param entryCount        the entries held, {@code >= 0}
     * @throws IllegalArgumentException if a counter is negative
     */
    public CacheStats {
        if (hits < 0 || misses < 0 || evictions < 0 || evictedBytes < 0 || weightedSizeBytes < 0 || entryCount < 0) {
            throw new IllegalArgumentException("negative counter in " + hits + "/" + misses + "/" + evictions + "/"
                    + evictedBytes + "/" + weightedSizeBytes + "/" + entryCount);
        }
    }

    /**
     * The number of lookups.
     *
     * @return {@code hits + misses}
     */
    public long requests() {
        return hits + misses;
    }

    /**
     * The share of lookups that hit.
     *
     * @return {@code hits / (hits + misses)} in {@code [0, 1]}; 0.0 when there was no lookup yet (an idle cache
     *         does not report a perfect hit rate)
     */
    public double hitRate() {
        long requests = requests();
        return requests == 0 ? 0.0 : (double) hits / requests;
    }
}
