package org.mpft.protocol;

/**
 * Secondary to primary: the client presented its ticket for this transfer and is attached; chunks sent
 * now reach it. The primary assigns chunks to a secondary only after this frame, and drops the secondary
 * from the transfer when it does not come in time.
 *
 * @param transferId the transfer
 */
public record ClientAttached(long transferId) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.CLIENT_ATTACHED;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId);
    }

    static ClientAttached decode(WireReader in) throws ProtocolException {
        return new ClientAttached(in.i64());
    }
}
