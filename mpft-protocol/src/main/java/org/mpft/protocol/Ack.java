package org.mpft.protocol;

/**
 * Client to the server that sent it: chunk verified and written.
 *
 * @param transferId the transfer
 * @param chunk      the chunk's index (from 0)
 */
public record Ack(long transferId, int chunk) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.ACK;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).nonNegativeInt(chunk, "chunk");
    }

    static Ack decode(WireReader in) throws ProtocolException {
        return new Ack(in.i64(), in.nonNegativeInt("chunk"));
    }
}
