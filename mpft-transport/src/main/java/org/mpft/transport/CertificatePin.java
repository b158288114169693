package org.mpft.transport;

import java.security.cert.CertificateException;

/**
 * Decides during the TLS handshake whether the server's certificate is the expected one, from its
 * SHA-256 (the way ssh pins host keys). Throwing fails the handshake.
 */
@FunctionalInterface
public interface CertificatePin {

    /**
     * @param certificateSha256 the SHA-256 of the DER encoding of the certificate the server presented
     * @throws CertificateException to refuse the certificate; the handshake fails
     */
    void check(byte[] certificateSha256) throws CertificateException;
}
