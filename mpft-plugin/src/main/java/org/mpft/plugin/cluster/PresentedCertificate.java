package org.mpft.plugin.cluster;

import org.mpft.protocol.Bytes;

/**
 * The SHA-256 of the certificate a secondary presented in the TLS handshake of one connection attempt of a
 * {@link ClusterLink}: the TLS layer reports it, the link binds the cluster handshake to it. Thread-safe.
 */
final class PresentedCertificate {

    private volatile Bytes sha256;

    /** Called by the TLS layer with the certificate's hash. */
    void presented(byte[] hash) {
        sha256 = Bytes.of(hash);
    }

    /** The hash, or null when the handshake presented none. */
    Bytes sha256() {
        return sha256;
    }
}
