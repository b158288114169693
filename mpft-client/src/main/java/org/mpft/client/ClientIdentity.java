package org.mpft.client;

/**
 * A user's key pair for public-key logins (an OpenSSH Ed25519, RSA or ECDSA private key).
 */
public interface ClientIdentity {

    /** The JDK key algorithm: {@code Ed25519}, {@code RSA} or {@code EC}. */
    String keyAlgorithm();

    /** The public key, X.509 SubjectPublicKeyInfo encoding. */
    byte[] publicKeyX509();

    /**
     * Signs data with the private key ({@code Ed25519}, {@code SHA256withRSA} or {@code SHA256withECDSA}).
     *
     * @param data the bytes to sign ({@link org.mpft.protocol.AuthSignedData})
     * @return the signature, raw JDK format
     */
    byte[] sign(byte[] data);
}
