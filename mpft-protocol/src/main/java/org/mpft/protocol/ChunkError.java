package org.mpft.protocol;

import java.util.Objects;

/**
 * Secondary to primary: a chunk could not be served (stale copy, read error, client gone); the primary
 * reassigns it.
 *
 * @param transferId the transfer
 * @param chunk      the chunk's index (from 0)
 * @param code       why
 * @param message    details, naming the file and chunk
 */
public record ChunkError(long transferId, int chunk, ErrorCode code, String message) implements Frame {

    /** Checks the fields. */
    public ChunkError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.CHUNK_ERROR;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).nonNegativeInt(chunk, "chunk").u16(code.wireValue()).string(message);
    }

    static ChunkError decode(WireReader in) throws ProtocolException {
        return new ChunkError(in.i64(), in.nonNegativeInt("chunk"), ErrorCode.fromWire(in.u16()),
                in.string("message"));
    }
}
