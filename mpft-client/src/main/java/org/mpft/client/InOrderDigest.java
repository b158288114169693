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
 * <p>In a multi-path download the primary may give the file's SHA-256 instead (META's FILE_DIGEST, read with the
 * chunk digests every chunk is checked against): after {@link #deferToPrimary()} nothing is hashed as chunks
 * arrive and {@link #finish} returns the primary's digest, so a secondary's byte is hashed once on this side (its
 * chunk check) and the primary's own not at all. A primary that has no digest after all (an empty FILE_DIGEST)
 * hands the hashing back: the prefix written so far is read back as above.
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
    /** True while the primary's digest is awaited or taken: nothing is hashed here. */
    private boolean deferred;
    /** The primary's SHA-256 of the file, once it came. */
    private byte[] fromPrimary;

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
        if (deferred) {
            return;
        }
        if (chunk == next) {
            digest.update(bytes.duplicate());
            next++;
        }
        readBack(READ_BACKS_PER_CHUNK);
    }

    /** The primary will send the file's SHA-256 (FILE_DIGEST): chunks are no longer hashed here. */
    synchronized void deferToPrimary() {
        deferred = true;
    }

    /**
     * The primary's FILE_DIGEST: the file's SHA-256, which {@link #finish} returns; empty when the primary has none,
     * and then the file is hashed here after all. Ignored unless {@link #deferToPrimary() deferred}.
     */
    synchronized void fromPrimary(byte[] sha256) {
        if (!deferred) {
            return;
        }
        deferred = false;
        if (sha256.length > 0) {
            fromPrimary = sha256.clone();
        }
    }

    /** True while the primary's digest is awaited ({@link #deferToPrimary()} and no FILE_DIGEST yet). */
    synchronized boolean awaitsPrimary() {
        return deferred;
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
        if (fromPrimary != null) {
            return HexFormat.of().formatHex(fromPrimary);
        }
        if (deferred) {
            throw new IOException("the primary's digest of the file never came");
        }
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
