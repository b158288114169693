package org.mpft.transport;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import java.util.Objects;

/**
 * TLS 1.3 contexts for mpft's QUIC connections, with ALPN {@value #ALPN} on both sides. The client
 * trusts no certificate authority: it hands the server certificate's SHA-256 to a {@link CertificatePin}.
 */
public final class QuicTls {

    /** The ALPN protocol id of mpft version 1. */
    public static final String ALPN = "mpft/1";

    private QuicTls() {
    }

    /** A server context presenting {@code identity}'s certificate. */
    public static QuicSslContext serverContext(TlsIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        return QuicSslContextBuilder.forServer(identity.privateKey(), null, identity.certificate())
                .applicationProtocols(ALPN)
                .build();
    }

    /**
     * A client context that accepts exactly the certificates {@code pin} accepts. Build one per
     * connection when the pin depends on the server.
     */
    public static QuicSslContext clientContext(CertificatePin pin) {
        Objects.requireNonNull(pin, "pin");
        return QuicSslContextBuilder.forClient()
                .trustManager(new PinningTrustManager(pin))
                .applicationProtocols(ALPN)
                .build();
    }
}
