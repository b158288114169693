package org.mpft.protocol;

import java.util.Objects;

/**
 * Secondary to primary: its own nonce and its proof that it holds the cluster secret (an HMAC over both
 * nonces, see {@code docs/PROTOCOL.md}).
 *
 * @param node  the secondary's instance name
 * @param nonce 32 random bytes
 * @param proof HMAC-SHA256(secret, "mpft-cluster-secondary" || primary nonce || secondary nonce)
 */
public record ClusterChallenge(String node, Bytes nonce, Bytes proof) implements Frame {

    /** Checks the fields. */
    public ClusterChallenge {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(proof, "proof");
    }

    @Override
    public FrameType type() {
        return FrameType.CLUSTER_CHALLENGE;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(node).shortBytes(nonce.internal(), 64, "nonce").shortBytes(proof.internal(), 64, "proof");
    }

    static ClusterChallenge decode(WireReader in) throws ProtocolException {
        return new ClusterChallenge(in.string("node"), Bytes.wrap(in.shortBytes(64, "nonce")),
                Bytes.wrap(in.shortBytes(64, "proof")));
    }
}
