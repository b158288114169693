package org.mpft.protocol;

/**
 * Secondary to client: the ticket is good; chunks of this transfer will come on this connection as the
 * primary assigns them.
 *
 * @param transferId the transfer the ticket is for
 */
public record Attached(long transferId) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.ATTACHED;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId);
    }

    static Attached decode(WireReader in) throws ProtocolException {
        return new Attached(in.i64());
    }
}
