package org.mpft.transport;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * TLS 1.3 contexts for mpft's QUIC connections, with ALPN {@value #ALPN} on both sides. By default the
 * client trusts no certificate authority: it hands the server certificate's SHA-256 to a
 * {@link CertificatePin}; a client that verifies against {@link CertificateAuthorities} passes a
 * {@link ServerChainCheck} instead.
 */
public final class QuicTls {

    /** The ALPN protocol id of mpft version 1. */
    public static final String ALPN = "mpft/1";

    private QuicTls() {
    }

    /** A server context presenting {@code identity}'s certificate chain. */
    public static QuicSslContext serverContext(TlsIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        return QuicSslContextBuilder.forServer(identity.privateKey(), null,
                        identity.chain().toArray(new X509Certificate[0]))
                .applicationProtocols(ALPN)
                .build();
    }

    /**
     * A client context that accepts exactly the certificates {@code pin} accepts. Build one per
     * connection when the pin depends on the server.
     */
    public static QuicSslContext clientContext(CertificatePin pin) {
        Objects.requireNonNull(pin, "pin");
        return chainCheckingClientContext(chain -> pin.check(TlsIdentity.sha256(chain[0])));
    }

    /**
     * A client context that accepts exactly the chains {@code check} accepts. Build one per connection when
     * the check depends on the server.
     */
    public static QuicSslContext chainCheckingClientContext(ServerChainCheck check) {
        Objects.requireNonNull(check, "check");
        return QuicSslContextBuilder.forClient()
                .trustManager(new PinningTrustManager(check))
                .applicationProtocols(ALPN)
                .build();
    }
}
