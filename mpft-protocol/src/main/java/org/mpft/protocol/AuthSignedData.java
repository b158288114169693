package org.mpft.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The bytes a client signs for a public-key login: a fixed label, the server's challenge, the user name
 * and the server certificate's SHA-256, so that a signature cannot be replayed to another server,
 * session or user.
 */
public final class AuthSignedData {

    private static final byte[] LABEL = "mpft-auth-v1".getBytes(StandardCharsets.US_ASCII);

    private AuthSignedData() {
    }

    /**
     * {@code label || u16 len || challenge || u16 len || user (UTF-8) || u16 len || certificate SHA-256}.
     *
     * @param challenge         the server's challenge from {@link ServerHello}
     * @param user              the user name
     * @param certificateSha256 the SHA-256 of the server's TLS certificate
     */
    public static byte[] of(Bytes challenge, String user, Bytes certificateSha256) {
        return new WireWriter().raw(LABEL).shortBytes(challenge.internal()).string(user)
                .shortBytes(certificateSha256.internal()).toByteArray();
    }
}
