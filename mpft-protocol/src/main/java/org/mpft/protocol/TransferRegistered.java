package org.mpft.protocol;

/**
 * Secondary to primary: the transfer is registered; the user's rights and the file's identity checked out.
 *
 * @param transferId the transfer
 */
public record TransferRegistered(long transferId) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.TRANSFER_REGISTERED;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId);
    }

    static TransferRegistered decode(WireReader in) throws ProtocolException {
        return new TransferRegistered(in.i64());
    }
}
