package org.mpft.plugin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;

/**
 * Reads one chunk of a transfer's file with positional reads straight into a pooled direct buffer and
 * computes its checksum from exactly the bytes read, so what is sent is what was checked. Blocking: runs
 * on the I/O pool.
 */
final class ChunkReader {

    private final ByteBufAllocator allocator;
    private final SendRateLimiter limiter;

    /** @param allocator where chunk buffers come from (a pooled direct allocator) */
    ChunkReader(ByteBufAllocator allocator) {
        this(allocator, SendRateLimiter.UNLIMITED);
    }

    /**
     * @param allocator where chunk buffers come from (a pooled direct allocator)
     * @param limiter   the instance's send-rate cap: a read waits until its bytes may be sent
     */
    ChunkReader(ByteBufAllocator allocator, SendRateLimiter limiter) {
        this.allocator = allocator;
        this.limiter = limiter;
    }

    /** A chunk read from the file: its header and its bytes (the caller owns the buffer's one reference). */
    record ReadChunk(ChunkHeader header, ByteBuf payload) {
    }

    /**
     * @throws IOException when the read fails or the file is shorter than the plan (it changed on disk)
     */
    ReadChunk read(Transfer transfer, int chunk) throws IOException {
        long offset = transfer.plan().offset(chunk);
        int length = transfer.plan().length(chunk);
        try {
            limiter.acquire(length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the send-rate cap");
        }
        ByteBuf buffer = allocator.directBuffer(length, length);
        try {
            ByteBuffer target = buffer.nioBuffer(0, length);
            while (target.hasRemaining()) {
                int n = transfer.file().read(target, offset + target.position());
                if (n < 0) {
                    throw new EOFException(transfer.path() + " ended at " + (offset + target.position())
                            + " bytes while reading chunk " + chunk + " (the file shrank)");
                }
            }
            buffer.writerIndex(length);
            byte[] checksum = transfer.checksum().compute(buffer.nioBuffer(0, length));
            ChunkHeader header = new ChunkHeader(transfer.id(), chunk, offset, length, Encoding.RAW, length,
                    transfer.checksum(), Bytes.of(checksum));
            return new ReadChunk(header, buffer);
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e;
        }
    }
}
