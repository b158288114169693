package org.mpft.client;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HexFormat;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;
import org.mpft.transport.ChunkBuffers;

/**
 * The SHA-256 of the whole file, computed while the chunks arrive instead of by reading the finished file
 * again: a chunk that continues the hashed prefix is hashed from the verified bytes in memory; a chunk that
 * arrived early (another path was faster) or was held from an earlier run is read back from the part file
 * once the prefix reaches it, at most {@value #READ_BACKS_PER_CHUNK} per arriving chunk so that the
 * download's thread never stalls on a long resumed prefix. {@link #finish} hashes whatever is left. A read-back
 * borrows its buffer from the pooled {@link ChunkBuffers#ALLOCATOR} for the one chunk: a tree of small files
 * reads back a chunk of most files, and a buffer of its own per file (zeroed, faulted in, freed) cost more than
 * the reading.
 *
 * <p>Thread-safe: {@link ChunkManager} lets several threads write chunks at once, so every method holds
 * this object's lock (one chunk's hashing at a time).
 */
final class InOrderDigest {

    /** Chunks read back from the part file per written chunk, at most. */
    static final int READ_BACKS_PER_CHUNK = 2;

    /** The largest read of a read-back, bytes. */
    private static final int READ_SIZE = 1 << 20;

    private final ChunkPlan plan;
    private final FileChannel part;
    private final BitSet written;
    private final MessageDigest digest = ChecksumAlgorithm.sha256();
    /** Every chunk below this one is hashed. */
    private int next;

    /**
     * @param plan the file's chunks
     * @param part the part file, open for reading
     * @param held chunks already in the part file (from an earlier run); copied
     */
    InOrderDigest(ChunkPlan plan, FileChannel part, BitSet held) {
        this.plan = plan;
        this.part = part;
        this.written = (BitSet) held.clone();
    }

    /**
     * Notes that {@code chunk} was written with {@code bytes} (position to limit; left alone) and hashes
     * what now continues the prefix.
     */
    synchronized void written(int chunk, ByteBuffer bytes) throws IOException {
        written.set(chunk);
        if (chunk == next) {
            digest.update(bytes.duplicate());
            next++;
        }
        readBack(READ_BACKS_PER_CHUNK);
    }

    /** Chunks hashed so far (a prefix of the file). */
    synchronized int hashedChunks() {
        return next;
    }

    /**
     * Hashes the rest of the file from the part file.
     *
     * @return the SHA-256 of the whole file, lower-case hex
     * @throws IOException when a chunk is missing or the part file cannot be read
     */
    synchronized String finish() throws IOException {
        readBack(Integer.MAX_VALUE);
        if (next != plan.chunkCount()) {
            throw new IOException("chunk " + next + " of " + plan.chunkCount() + " was never written");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void readBack(int budget) throws IOException {
        for (int n = 0; n < budget && next < plan.chunkCount() && written.get(next); n++) {
            hashFromFile(next);
            next++;
        }
    }

    private void hashFromFile(int chunk) throws IOException {
        long position = plan.offset(chunk);
        long end = position + plan.length(chunk);
        int size = (int) Math.max(1, Math.min(READ_SIZE, end - position));
        ByteBuf pooled = ChunkBuffers.ALLOCATOR.directBuffer(size, size);
        try {
            ByteBuffer buffer = pooled.nioBuffer(0, size);
            while (position < end) {
                buffer.clear();
                buffer.limit((int) Math.min(size, end - position));
                int read = part.read(buffer, position);
                if (read < 0) {
                    throw new IOException("the part file ended at byte " + position + " inside chunk " + chunk);
                }
                position += read;
                buffer.flip();
                digest.update(buffer);
            }
        } finally {
            pooled.release();
        }
    }
}
