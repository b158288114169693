package org.mpft.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The allocator for whole-chunk buffers (a chunk read on a server, a chunk assembled on the client). Netty's
 * default pool carves 4 MiB arena chunks, so every 8 or 16 MiB mpft chunk became a "huge" allocation: a fresh
 * direct buffer, zeroed and page-faulted in, then freed, for every chunk (on the client about 7% of the CPU of
 * a 1 GiB loopback download). This pool carves 16 MiB arena chunks (the largest chunk size the plugin picks by
 * default, {@code mpft.chunk-size.max}), so chunk buffers are reused. Larger chunks (up to 64 MiB, when an admin
 * sets them) still fall back to one-off allocations. No thread caches: the buffers are large and few.
 */
public final class ChunkBuffers {

    /** Page size (netty's default) and the order that makes an arena chunk 8 KiB << 11 = 16 MiB. */
    private static final int PAGE_SIZE = 8192;
    private static final int MAX_ORDER = 11;

    /** Two arenas: chunk buffers are taken on a few threads (event loops, read-ahead), at chunk rate. */
    private static final int ARENAS = 2;

    /** The shared allocator: direct buffers, pooled in 16 MiB arena chunks. */
    public static final ByteBufAllocator ALLOCATOR =
            new PooledByteBufAllocator(true, 0, ARENAS, PAGE_SIZE, MAX_ORDER, 0, 0, false);

    /** The largest buffer the pool serves from its arena chunks, bytes (16 MiB). */
    public static final int LARGEST_POOLED = PAGE_SIZE << MAX_ORDER;

    private ChunkBuffers() {
    }
}
