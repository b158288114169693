package org.mpft.protocol;

import java.util.Objects;

/**
 * Secondary to primary: a chunk was written to the client's connection.
 *
 * @param transferId the transfer
 * @param chunk      the chunk's index (from 0)
 * @param checksum   the checksum of the bytes the secondary read
 * @param bytes      bytes sent on the stream (after encoding)
 * @param nanos      time from SEND_CHUNK to the last byte written, nanoseconds
 */
public record ChunkSent(long transferId, int chunk, Bytes checksum, long bytes, long nanos) implements Frame {

    /** Checks the fields. */
    public ChunkSent {
        Objects.requireNonNull(checksum, "checksum");
    }

    @Override
    public FrameType type() {
        return FrameType.CHUNK_SENT;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).nonNegativeInt(chunk, "chunk").shortBytes(checksum.internal(), 64, "checksum")
                .nonNegative(bytes, "bytes").nonNegative(nanos, "nanos");
    }

    static ChunkSent decode(WireReader in) throws ProtocolException {
        return new ChunkSent(in.i64(), in.nonNegativeInt("chunk"), Bytes.wrap(in.shortBytes(64, "checksum")),
                in.nonNegative("bytes"), in.nonNegative("nanos"));
    }
}
