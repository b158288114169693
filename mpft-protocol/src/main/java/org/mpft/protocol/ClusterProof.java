package org.mpft.protocol;

import java.util.Objects;

/**
 * Primary to secondary: its proof that it holds the cluster secret.
 *
 * @param proof HMAC-SHA256(secret, "mpft-cluster-primary" || secondary nonce || primary nonce)
 */
public record ClusterProof(Bytes proof) implements Frame {

    /** Checks the fields. */
    public ClusterProof {
        Objects.requireNonNull(proof, "proof");
    }

    @Override
    public FrameType type() {
        return FrameType.CLUSTER_PROOF;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.shortBytes(proof.internal(), 64, "proof");
    }

    static ClusterProof decode(WireReader in) throws ProtocolException {
        return new ClusterProof(Bytes.wrap(in.shortBytes(64, "proof")));
    }
}
