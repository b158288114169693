package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to server: log in with a key pair. The client signs {@link AuthSignedData#of} (the server's
 * challenge bound to the user, the key and the server's certificate) with its private key.
 *
 * @param user         the user name
 * @param keyAlgorithm the JDK key algorithm: {@code Ed25519}, {@code RSA} or {@code EC}
 * @param publicKey    the public key, X.509 SubjectPublicKeyInfo encoding
 * @param signature    the signature ({@code Ed25519}, {@code SHA256withRSA} or {@code SHA256withECDSA})
 */
public record AuthPublicKey(String user, String keyAlgorithm, Bytes publicKey, Bytes signature) implements Frame {

    /** Checks the fields. */
    public AuthPublicKey {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signature, "signature");
    }

    @Override
    public FrameType type() {
        return FrameType.AUTH_PUBLIC_KEY;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(user).string(keyAlgorithm).shortBytes(publicKey.internal(), 4096, "publicKey")
                .shortBytes(signature.internal(), 4096, "signature");
    }

    static AuthPublicKey decode(WireReader in) throws ProtocolException {
        return new AuthPublicKey(in.string("user"), in.string("keyAlgorithm"),
                Bytes.wrap(in.shortBytes(4096, "publicKey")), Bytes.wrap(in.shortBytes(4096, "signature")));
    }
}
