package org.mpft.plugin.send;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;

/**
 * Reads one chunk of a transfer's file with positional reads straight into a pooled direct buffer and
 * computes its checksum from exactly the bytes read, so what is sent is what was checked; through a
 * {@link ChunkSource}, a chunk read before comes from the cache, and a transfer that negotiated compression
 * gets its chunks compressed where it pays. Blocking: runs on the I/O pool.
 */
public final class ChunkReader {

    private final ByteBufAllocator allocator;
    private final SendRateLimiter limiter;
    private final ChunkSource source;
    private final Encoding encoding;

    /**
     * @param allocator where chunk buffers come from (a pooled direct allocator)
     * @param limiter   the instance's send-rate cap: a read waits until its bytes may be sent
     * @param source    the instance's chunk cache and compression ({@link ChunkSource})
     * @param compress  whether chunks are compressed where it pays (the transfer negotiated COMPRESSION)
     */
    public ChunkReader(ByteBufAllocator allocator, SendRateLimiter limiter, ChunkSource source, boolean compress) {
        this(allocator, limiter, source, compress ? source.compression() : Encoding.RAW);
    }

    private ChunkReader(ByteBufAllocator allocator, SendRateLimiter limiter, ChunkSource source, Encoding encoding) {
        this.allocator = allocator;
        this.limiter = limiter;
        this.source = source;
        this.encoding = encoding;
    }

    /** This reader with compression on or off (same allocator, limiter and source). */
    public ChunkReader compressing(boolean on) {
        return compressingWith(on ? source.compression() : Encoding.RAW);
    }

    /**
     * This reader compressing with {@code codec} where it pays ({@link Encoding#RAW}: not at all), as a
     * secondary does with the codec its primary named in REGISTER_TRANSFER.
     */
    public ChunkReader compressingWith(Encoding codec) {
        return codec == encoding ? this : new ChunkReader(allocator, limiter, source, codec);
    }

    /** The codec chunks are compressed with where it pays ({@link Encoding#RAW}: none). */
    public Encoding encoding() {
        return encoding;
    }

    /** A chunk read from the file: its header and its bytes (the caller owns the buffer's one reference). */
    public record ReadChunk(ChunkHeader header, ByteBuf payload) {
    }

    /**
     * Reads {@code chunk}, taking it from {@code prefetcher} when it was read ahead; the send-rate cap is
     * applied here either way (a read-ahead does not wait for it).
     *
     * @param prefetcher the path's read-ahead, or null
     * @throws IOException when the read fails or the file is shorter than the plan (it changed on disk)
     */
    public ReadChunk read(Transfer transfer, int chunk, ChunkPrefetcher prefetcher) throws IOException {
        int length = transfer.plan().length(chunk);
        try {
            limiter.acquire(length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the send-rate cap");
        }
        ReadChunk ahead = prefetcher == null ? null : prefetcher.take(chunk);
        return ahead != null ? ahead : load(transfer, chunk);
    }

    /** Reads one chunk without waiting for the send-rate cap: what a read-ahead does ({@link ChunkPrefetcher}). */
    ReadChunk load(Transfer transfer, int chunk) throws IOException {
        return source.read(transfer, chunk, allocator, encoding);
    }

    /** The read-ahead of one path of {@code transfer} through this reader; depth 0 reads nothing ahead. */
    ChunkPrefetcher prefetcher(Transfer transfer, java.util.concurrent.Executor executor, int depth,
                               ChunkPrefetcher.Budget budget) {
        return new ChunkPrefetcher(chunk -> load(transfer, chunk), executor, depth, budget, transfer.plan()::length);
    }
}
