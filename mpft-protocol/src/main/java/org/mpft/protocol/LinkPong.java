package org.mpft.protocol;

/**
 * Secondary to primary on the cluster link: the answer to {@link LinkPing}.
 *
 * @param sequence the ping's sequence
 */
public record LinkPong(long sequence) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.LINK_PONG;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(sequence);
    }

    static LinkPong decode(WireReader in) throws ProtocolException {
        return new LinkPong(in.i64());
    }
}
