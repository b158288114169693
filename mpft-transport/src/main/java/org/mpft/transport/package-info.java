/**
 * Tuned Netty QUIC plumbing shared by the mpft plugin and the mpft client, free of mpft business logic.
 *
 * <p>{@link org.mpft.transport.QuicTransport} owns an event loop (epoll when the native transport loads,
 * NIO with a warning otherwise) and binds datagram channels with the settings measured to matter on
 * Linux: {@code recvmmsg} batches of 32 datagrams, UDP GSO with 16 segments, 4 MiB socket buffers and
 * 1452-byte UDP payloads ({@link org.mpft.transport.TransportSettings}); every connection of a transport sends with
 * one {@link org.mpft.transport.CongestionControl} (BBR unless chosen otherwise).
 * {@link org.mpft.transport.TlsIdentity} is a server's key and certificate chain: self-signed, created once
 * and kept in a folder, or the administrator's own PEM files; {@link org.mpft.transport.QuicTls} builds TLS
 * 1.3 contexts with ALPN {@value org.mpft.transport.QuicTls#ALPN}, the client side pinning the server's
 * certificate through a {@link org.mpft.transport.CertificatePin} or verifying its chain and host name against
 * {@link org.mpft.transport.CertificateAuthorities}. {@link org.mpft.transport.FrameStreamCodec} turns a stream's
 * bytes into protocol frames and back.
 */
package org.mpft.transport;
