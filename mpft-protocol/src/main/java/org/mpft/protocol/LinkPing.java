package org.mpft.protocol;

/**
 * Primary to secondary on the cluster link: are you there? The secondary answers {@link LinkPong} with the
 * same sequence at once; the primary counts a link whose secondary sends nothing for the link timeout as down.
 *
 * @param sequence any value the primary chooses (it counts up), echoed in the answer
 */
public record LinkPing(long sequence) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.LINK_PING;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(sequence);
    }

    static LinkPing decode(WireReader in) throws ProtocolException {
        return new LinkPing(in.i64());
    }
}
