/**
 * Caches for the chunk sender: {@link org.mpft.cache.ChunkCache}, chunks of files bounded by the bytes held, and
 * {@link org.mpft.cache.MetadataCache}, per-file-version values (metadata, chunk digest lists) bounded by entry
 * count. Both report {@link org.mpft.cache.CacheStats}.
 *
 * <p>Every entry is keyed by a {@link org.mpft.cache.FileIdentity}: path, size and modification time. A changed
 * file is a new identity, so a lookup never returns bytes or digests of an older version; the older entries
 * age out, or go at once with {@code invalidateFile} / {@code invalidatePath}. A chunk is keyed by
 * {@link org.mpft.cache.ChunkKey}: identity, chunk size and index, since the chunk size is chosen per transfer.
 * An identity is only as fresh as the caller's snapshot of size and mtime: bytes read after an in-place rewrite
 * under the old identity are caught by the chunk digests, not here.
 *
 * <p>The public face speaks JDK types only. The implementations, on Caffeine 3 (W-TinyLFU eviction, run on the
 * writing thread rather than the common pool), are package-private.
 */
package org.mpft.cache;
