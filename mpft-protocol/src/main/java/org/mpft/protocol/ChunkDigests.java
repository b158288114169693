package org.mpft.protocol;

import java.util.Objects;

/**
 * Primary to client: the primary's checksums of consecutive chunks of the transfer's file, so that chunks
 * from any secondary are checked against the primary's copy. Sent after {@link Meta} when the primary
 * has them; several frames cover a large file.
 *
 * @param transferId the transfer
 * @param firstChunk index of the chunk of the first checksum
 * @param digests    the checksums, concatenated, each a SHA-256 (32 bytes) whatever {@link Meta#checksumAlgorithm()}
 *                   says: they check chunks from secondaries, and a CRC would not stop a forger
 */
public record ChunkDigests(long transferId, int firstChunk, Bytes digests) implements Frame {

    /** The most digest bytes in one frame (16384 SHA-256 checksums). */
    public static final int MAX_DIGEST_BYTES = 512 * 1024;

    /** Checks the fields. */
    public ChunkDigests {
        Objects.requireNonNull(digests, "digests");
        if (firstChunk < 0) {
            throw new IllegalArgumentException("firstChunk < 0");
        }
    }

    @Override
    public FrameType type() {
        return FrameType.CHUNK_DIGESTS;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).i32(firstChunk).longBytes(digests.internal(), MAX_DIGEST_BYTES, "digests");
    }

    static ChunkDigests decode(WireReader in) throws ProtocolException {
        return new ChunkDigests(in.i64(), in.nonNegativeInt("firstChunk"),
                Bytes.wrap(in.longBytes(MAX_DIGEST_BYTES, "digests")));
    }
}
