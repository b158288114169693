package org.mpft.client;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Trusts exactly one certificate for the primary: the SHA-256 that came with a session offer over an
 * authenticated SSH channel (whose host-key check already vouched for the server). Nothing is asked and
 * nothing is written to a known-hosts file. A secondary is trusted as the primary vouches for it, for this
 * download only, as with {@link KnownHostsFile}.
 */
public final class PinnedCertificate implements HostKeyVerifier {

    private final byte[] sha256;

    /** @param sha256 the SHA-256 the primary's certificate must have (32 bytes) */
    public PinnedCertificate(byte[] sha256) {
        Objects.requireNonNull(sha256, "sha256");
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a certificate pin is a SHA-256 (32 bytes), got " + sha256.length);
        }
        this.sha256 = sha256.clone();
    }

    @Override
    public void verify(String hostAndPort, byte[] certificateSha256, String vouchedBy) throws MpftException {
        if (vouchedBy != null) {
            return; // a secondary listed by the primary, with the fingerprint the client checks against META
        }
        if (certificateSha256 == null || !MessageDigest.isEqual(sha256, certificateSha256)) {
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "the certificate of " + hostAndPort + " ("
                    + (certificateSha256 == null ? "none" : HexFormat.of().formatHex(certificateSha256))
                    + ") is not the one the session offer named (" + HexFormat.of().formatHex(sha256) + "): refused");
        }
    }
}
