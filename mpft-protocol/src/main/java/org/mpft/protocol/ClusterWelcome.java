package org.mpft.protocol;

import java.util.Objects;

/**
 * Secondary to primary, once both proofs verified: where clients reach it and its certificate's
 * fingerprint, which the primary passes on to clients in {@link Meta}.
 *
 * @param advertiseHost     its client-facing address
 * @param advertisePort     its client-facing UDP port
 * @param certificateSha256 the SHA-256 of its TLS certificate
 */
public record ClusterWelcome(String advertiseHost, int advertisePort, Bytes certificateSha256) implements Frame {

    /** Checks the fields. */
    public ClusterWelcome {
        Objects.requireNonNull(advertiseHost, "advertiseHost");
        Objects.requireNonNull(certificateSha256, "certificateSha256");
    }

    @Override
    public FrameType type() {
        return FrameType.CLUSTER_WELCOME;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(advertiseHost).u16(advertisePort).shortBytes(certificateSha256.internal(), 64, "certificateSha256");
    }

    static ClusterWelcome decode(WireReader in) throws ProtocolException {
        return new ClusterWelcome(in.string("advertiseHost"), in.u16(),
                Bytes.wrap(in.shortBytes(64, "certificateSha256")));
    }
}
