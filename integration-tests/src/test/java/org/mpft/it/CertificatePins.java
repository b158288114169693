package org.mpft.it;

import java.util.HexFormat;
import java.util.Set;
import org.mpft.client.HostKeyVerifier;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** Host-key verifiers for tests that know the servers' certificate fingerprints from their log lines. */
final class CertificatePins {

    private CertificatePins() {
    }

    /**
     * Trusts exactly the certificates with these SHA-256 fingerprints (lower-case hex), whichever server
     * presents them; anything else fails the handshake with AUTHENTICATION_FAILED.
     */
    static HostKeyVerifier trusting(String... certificateSha256) {
        Set<String> trusted = Set.of(certificateSha256);
        return (server, sha256, vouchedBy) -> {
            if (!trusted.contains(HexFormat.of().formatHex(sha256))) {
                throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "unexpected certificate from " + server);
            }
        };
    }
}
