package org.mpft.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The allocator for whole-chunk buffers (a chunk read on a server, a chunk assembled on the client). A chunk
 * buffer's memory is kept when the buffer is released and serves the next chunk ({@link ReusingChunkAllocator}):
 * netty's pool frees an arena chunk as soon as it is empty, so every chunk as large as an arena chunk cost a
 * fresh direct allocation, zeroed by the JDK and page-faulted in, then freed. Buffers under 4 MiB and growable
 * ones come from a pool of 16 MiB arena chunks without thread caches (chunk buffers are taken on a few threads),
 * where many of them share an arena chunk.
 */
public final class ChunkBuffers {

    /** Page size (netty's default) and the order that makes an arena chunk 8 KiB << 11 = 16 MiB. */
    private static final int PAGE_SIZE = 8192;
    private static final int MAX_ORDER = 11;

    /** Two arenas: chunk buffers are taken on a few threads (event loops, read-ahead), at chunk rate. */
    private static final int ARENAS = 2;

    /** The largest chunk size the plugin picks by default ({@code mpft.chunk-size.max}), bytes (16 MiB). */
    public static final int LARGEST_POOLED = PAGE_SIZE << MAX_ORDER;

    /**
     * Chunk memory kept idle for reuse, at most (and never more than was in use at once): a server's window of
     * 8 of the largest default chunks.
     */
    static final long IDLE_LIMIT = 8L * LARGEST_POOLED;

    /** The shared allocator: direct buffers whose memory is reused. */
    public static final ByteBufAllocator ALLOCATOR = new ReusingChunkAllocator(
            new PooledByteBufAllocator(true, 0, ARENAS, PAGE_SIZE, MAX_ORDER, 0, 0, false), IDLE_LIMIT);

    private ChunkBuffers() {
    }
}
