package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to the server that sent it: chunk rejected (checksum mismatch, bad header); the primary
 * fetches it again, from another path after a repeat.
 *
 * @param transferId the transfer
 * @param chunk      the chunk's index (from 0)
 * @param reason     why, e.g. {@link ErrorCode#CHUNK_CORRUPTION}
 */
public record Nack(long transferId, int chunk, ErrorCode reason) implements Frame {

    /** Checks the fields. */
    public Nack {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public FrameType type() {
        return FrameType.NACK;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).nonNegativeInt(chunk, "chunk").u16(reason.wireValue());
    }

    static Nack decode(WireReader in) throws ProtocolException {
        return new Nack(in.i64(), in.nonNegativeInt("chunk"), ErrorCode.fromWire(in.u16()));
    }
}
