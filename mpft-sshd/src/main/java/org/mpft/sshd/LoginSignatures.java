package org.mpft.sshd;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * The check of a public-key login's signature that {@code plugin-api}'s
 * {@link org.mpft.api.Authenticator#authenticatePublicKey} asks of a host: the client signs the session's
 * signed data with its SSH key, the host verifies it here before it asks its own rules whether that key may
 * log in. Stateless and thread-safe.
 */
public final class LoginSignatures {

    private LoginSignatures() {
    }

    /**
     * Verifies a signature with the JDK's own providers; the key is rebuilt from its X.509 encoding, so a
     * key object of another provider (BouncyCastle, net.i2p) verifies the same way.
     *
     * @param key       the user's public key: Ed25519, RSA or EC
     * @param data      the bytes that were signed
     * @param signature the signature (Ed25519, SHA256withRSA or SHA256withECDSA, as the client's key type makes)
     * @return true only for a valid signature; false for a wrong one, another key type or malformed input
     */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        String keyAlgorithm;
        String signatureAlgorithm;
        switch (key.getAlgorithm()) {
            case "Ed25519", "EdDSA" -> {
                keyAlgorithm = "Ed25519";
                signatureAlgorithm = "Ed25519";
            }
            case "RSA" -> {
                keyAlgorithm = "RSA";
                signatureAlgorithm = "SHA256withRSA";
            }
            case "EC", "ECDSA" -> {
                keyAlgorithm = "EC";
                signatureAlgorithm = "SHA256withECDSA";
            }
            default -> {
                return false;
            }
        }
        try {
            PublicKey jdkKey = KeyFactory.getInstance(keyAlgorithm)
                    .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            Signature s = Signature.getInstance(signatureAlgorithm);
            s.initVerify(jdkKey);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
