package org.mpft.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A cache of file chunks bounded by the bytes it holds, keyed by {@link ChunkKey} (file version + chunk size +
 * chunk index). Thread-safe.
 *
 * <p><b>Values.</b> The cache stores its own immutable copy of every chunk and hands out read-only views: each
 * call returns a fresh view positioned at 0 with the limit at the chunk's length, so callers can read, move
 * and slice it without disturbing each other; or it copies the chunk into the caller's buffer ({@link #copyTo}),
 * and then reuses the copy's memory for a later chunk once the entry is gone. By default the copies live in
 * direct (off-heap) buffers, because the QUIC sender passes native memory to the QUIC stack: a heap buffer would
 * be copied again into a temporary direct buffer on every send. Direct memory is kept for later copies (at most
 * 32 MiB idle), or returned to the system when the garbage collector collects an evicted buffer and every view
 * of it, so size {@code -XX:MaxDirectMemorySize} above {@link #maximumBytes()}
 * plus what the network layer needs; {@link Builder#directBuffers(boolean)} switches to heap buffers.
 *
 * <p><b>Bound.</b> The weight of an entry is the chunk's length in bytes; per-entry bookkeeping (a few hundred
 * bytes) is not counted. Eviction (Caffeine's W-TinyLFU, which keeps frequently read chunks when one large
 * download streams through) runs on the thread that writes, not on a background pool, so right after a write
 * the held weight is within the bound except for writes still racing on other threads, and after
 * {@link #cleanUp()} in a quiet moment it never exceeds {@link #maximumBytes()}. A chunk heavier than the
 * bound is evicted as soon as it is stored.
 *
 * <p><b>A cache, not a staging area.</b> An entry may be evicted right after {@code put}: admission favours
 * chunks read often over a chunk never read. A sender that reads ahead must keep the buffers it is about to
 * send; the cache only saves a later read.
 *
 * <p><b>Disabled.</b> With {@code maximumBytes(0)} the cache is disabled: nothing is stored, every lookup
 * misses, {@link #get(ChunkKey, ChunkLoader)} calls the loader every time (no de-duplication of concurrent
 * loads) and still returns a read-only copy.
 *
 * <pre>{@code
 * ChunkCache cache = ChunkCache.builder().maximumBytes(256L << 20).build();
 * ByteBuffer chunk = cache.get(new ChunkKey(file, plan.chunkSize(), index), key -> reader.read(key));
 * }</pre>
 */
public interface ChunkCache {

    /** The default bound, {@value} bytes (64 MiB). */
    long DEFAULT_MAXIMUM_BYTES = 64L * 1024 * 1024;

    /**
     * A builder with the defaults: {@link #DEFAULT_MAXIMUM_BYTES}, direct buffers.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Looks a chunk up. Counts a hit or a miss.
     *
     * @param key the chunk
     * @return a fresh read-only view of the chunk (position 0, limit = its length), or empty if it is not held
     */
    Optional<ByteBuffer> get(ChunkKey key);

    /**
     * Copies a held chunk into {@code target} at its position, advancing it. Counts a hit or a miss. Unlike the
     * views of {@link #get(ChunkKey)}, a copy lets the cache reuse the chunk's memory once the entry is removed,
     * so a sender that copies anyway should prefer this.
     *
     * @param key    the chunk
     * @param target where the bytes go
     * @return true when the chunk was held and copied; false (nothing copied) when it was not
     * @throws IllegalArgumentException if {@code target} has fewer than {@link ChunkKey#length()} bytes of room
     */
    boolean copyTo(ChunkKey key, ByteBuffer target);

    /**
     * Returns the chunk, reading it with {@code loader} if it is not held. Concurrent calls for one key call the
     * loader once: the others wait for it and share its result. If the loader fails, nothing is stored, this
     * call throws, and a caller that was waiting runs its own loader. Counts a hit, or a miss when it loads.
     *
     * @param key    the chunk
     * @param loader reads the chunk on a miss; must not call back into this cache
     * @return a fresh read-only view of the chunk (position 0, limit = its length)
     * @throws IOException          if the loader throws one, or returns other than {@link ChunkKey#length()}
     *                              bytes (a short read: the file changed while being read)
     * @throws NullPointerException if the loader returns {@code null}
     */
    ByteBuffer get(ChunkKey key, ChunkLoader loader) throws IOException;

    /**
     * Stores a copy of the remaining bytes of {@code chunk} (the buffer's position is not changed), replacing
     * any chunk held for the key. Does nothing when the cache is disabled.
     *
     * @param key   the chunk
     * @param chunk the chunk's bytes, from position to limit
     * @throws IllegalArgumentException if {@code chunk.remaining() != key.length()}
     */
    void put(ChunkKey key, ByteBuffer chunk);

    /**
     * Drops one chunk, if held. Does not count as an eviction.
     *
     * @param key the chunk
     */
    void invalidate(ChunkKey key);

    /**
     * Drops every chunk of one file version, whatever its chunk size. Scans the entries: O(entries held).
     * Does not count as evictions.
     *
     * @param file the file version
     */
    void invalidateFile(FileIdentity file);

    /**
     * Drops every chunk of every version of the file at {@code path} (for example when a new version was
     * seen). Scans the entries: O(entries held). Does not count as evictions.
     *
     * @param path the path, as in {@link FileIdentity#path()}
     */
    void invalidatePath(String path);

    /** Drops every chunk. Does not count as evictions. */
    void invalidateAll();

    /**
     * The bound.
     *
     * @return the maximum weight held, bytes; 0 when the cache is disabled
     */
    long maximumBytes();

    /**
     * Runs pending maintenance (buffered reads and writes, evictions) now. Not needed for correctness; it makes
     * {@link CacheStats#weightedSizeBytes()} and {@link CacheStats#entryCount()} exact in a quiet moment.
     */
    void cleanUp();

    /**
     * The counters since the cache was built, after {@link #cleanUp()}.
     *
     * @return a snapshot; all zero but {@code misses} when the cache is disabled
     */
    CacheStats stats();

    /** Builds a {@link ChunkCache}. Not thread-safe; reusable. */
    final class Builder {

        private long maximumBytes = DEFAULT_MAXIMUM_BYTES;
        private boolean directBuffers = true;

        Builder() {
        }

        /**
         * The bound on the bytes held. Default {@link #DEFAULT_MAXIMUM_BYTES} (64 MiB).
         *
         * @param maximumBytes the bound, bytes, {@code >= 0}; 0 disables the cache (every lookup misses,
         *                     nothing is stored)
         * @return this builder
         * @throws IllegalArgumentException if {@code maximumBytes < 0}
         */
        public Builder maximumBytes(long maximumBytes) {
            if (maximumBytes < 0) {
                throw new IllegalArgumentException("maximumBytes " + maximumBytes + " < 0");
            }
            this.maximumBytes = maximumBytes;
            return this;
        }

        /**
         * Whether chunk copies live in direct (off-heap) buffers. Default {@code true}: the QUIC stack reads
         * native memory, so a heap chunk costs one more copy per send.
         *
         * @param directBuffers {@code true} for direct buffers, {@code false} for heap buffers
         * @return this builder
         */
        public Builder directBuffers(boolean directBuffers) {
            this.directBuffers = directBuffers;
            return this;
        }

        /**
         * Builds the cache.
         *
         * @return a new, empty cache; a disabled one if {@link #maximumBytes(long)} is 0
         */
        public ChunkCache build() {
            return maximumBytes == 0
                    ? new DisabledChunkCache(directBuffers)
                    : new CaffeineChunkCache(maximumBytes, directBuffers);
        }
    }
}
