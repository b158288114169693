package org.mpft.plugin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.mpft.protocol.ChunkHeader;

/**
 * Reads one chunk of a transfer's file with positional reads straight into a pooled direct buffer and
 * computes its checksum from exactly the bytes read, so what is sent is what was checked; through a
 * {@link ChunkSource}, a chunk read before comes from the cache, and a transfer that negotiated compression
 * gets its chunks compressed where it pays. Blocking: runs on the I/O pool.
 */
final class ChunkReader {

    private final ByteBufAllocator allocator;
    private final SendRateLimiter limiter;
    private final ChunkSource source;
    private final boolean compress;

    /** @param allocator where chunk buffers come from (a pooled direct allocator) */
    ChunkReader(ByteBufAllocator allocator) {
        this(allocator, SendRateLimiter.UNLIMITED);
    }

    /**
     * @param allocator where chunk buffers come from (a pooled direct allocator)
     * @param limiter   the instance's send-rate cap: a read waits until its bytes may be sent
     */
    ChunkReader(ByteBufAllocator allocator, SendRateLimiter limiter) {
        this(allocator, limiter, ChunkSource.uncached(), false);
    }

    /**
     * @param allocator where chunk buffers come from (a pooled direct allocator)
     * @param limiter   the instance's send-rate cap: a read waits until its bytes may be sent
     * @param source    the instance's chunk cache and compression ({@link ChunkSource})
     * @param compress  whether chunks are compressed where it pays (the transfer negotiated COMPRESSION)
     */
    ChunkReader(ByteBufAllocator allocator, SendRateLimiter limiter, ChunkSource source, boolean compress) {
        this.allocator = allocator;
        this.limiter = limiter;
        this.source = source;
        this.compress = compress;
    }

    /** This reader with compression on or off (same allocator, limiter and source). */
    ChunkReader compressing(boolean on) {
        return on == compress ? this : new ChunkReader(allocator, limiter, source, on);
    }

    /** A chunk read from the file: its header and its bytes (the caller owns the buffer's one reference). */
    record ReadChunk(ChunkHeader header, ByteBuf payload) {
    }

    /**
     * @throws IOException when the read fails or the file is shorter than the plan (it changed on disk)
     */
    ReadChunk read(Transfer transfer, int chunk) throws IOException {
        int length = transfer.plan().length(chunk);
        try {
            limiter.acquire(length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the send-rate cap");
        }
        return source.read(transfer, chunk, allocator, compress);
    }
}
