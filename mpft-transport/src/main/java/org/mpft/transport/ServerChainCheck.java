package org.mpft.transport;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Decides during the TLS handshake whether to trust the certificate chain a server presented (leaf
 * first). Throwing fails the handshake. {@link CertificatePin} is the pinning kind, which looks at the
 * leaf's SHA-256 only; {@link CertificateAuthorities#check} verifies a chain against certificate authorities.
 */
@FunctionalInterface
public interface ServerChainCheck {

    /**
     * @param chain the server's certificates, leaf first; never empty
     * @throws CertificateException to refuse the chain; the handshake fails
     */
    void check(X509Certificate[] chain) throws CertificateException;
}
