package org.mpft.protocol;

import java.util.Objects;

/**
 * Primary to secondary, first frame on the cluster link: who it is and a fresh random nonce.
 *
 * @param node  the primary's instance name
 * @param nonce 32 random bytes
 */
public record ClusterHello(String node, Bytes nonce) implements Frame {

    /** Checks the fields. */
    public ClusterHello {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(nonce, "nonce");
    }

    @Override
    public FrameType type() {
        return FrameType.CLUSTER_HELLO;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(node).shortBytes(nonce.internal(), 64, "nonce");
    }

    static ClusterHello decode(WireReader in) throws ProtocolException {
        return new ClusterHello(in.string("node"), Bytes.wrap(in.shortBytes(64, "nonce")));
    }
}
