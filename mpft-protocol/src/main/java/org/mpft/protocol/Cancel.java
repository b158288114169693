package org.mpft.protocol;

/**
 * Client to primary or secondary: stop the transfer now; servers stop reading and sending for it.
 *
 * @param transferId the transfer
 */
public record Cancel(long transferId) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.CANCEL;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId);
    }

    static Cancel decode(WireReader in) throws ProtocolException {
        return new Cancel(in.i64());
    }
}
