package org.mpft.cache;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads one chunk on a cache miss; see {@link ChunkCache#get(ChunkKey, ChunkLoader)}.
 *
 * <p>The loader runs on the calling thread while other callers asking for the same key wait for it, so it
 * must not call back into the same cache. It may return a pooled buffer: the cache copies the bytes between
 * the buffer's position and limit before {@code get} returns and never touches the buffer again, nor changes
 * its position.
 */
@FunctionalInterface
public interface ChunkLoader {

    /**
     * Reads the bytes of {@code key}.
     *
     * @param key the chunk to read
     * @return a buffer whose remaining bytes are exactly the chunk ({@link ChunkKey#length()} bytes), never
     *         {@code null}
     * @throws IOException if the chunk cannot be read; nothing is cached then
     */
    ByteBuffer load(ChunkKey key) throws IOException;
}
