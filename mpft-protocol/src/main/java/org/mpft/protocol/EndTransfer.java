package org.mpft.protocol;

/**
 * Primary to secondary: the transfer is over (done, cancelled or failed); forget it.
 *
 * @param transferId the transfer
 */
public record EndTransfer(long transferId) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.END_TRANSFER;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId);
    }

    static EndTransfer decode(WireReader in) throws ProtocolException {
        return new EndTransfer(in.i64());
    }
}
