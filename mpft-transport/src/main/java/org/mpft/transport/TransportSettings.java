package org.mpft.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The QUIC transport parameters mpft uses on both sides. The defaults are the values measured to matter
 * (see the project's QUIC notes): flow-control windows well above a chunk so that a chunk stream never
 * waits for a window update, and enough unidirectional streams for every chunk in flight.
 *
 * @param idleTimeout        a connection with no packet for this long closes (default 30 s)
 * @param connectionWindow   {@code initialMaxData}, bytes (default 32 MiB)
 * @param streamWindow       every {@code initialMaxStreamData*}, bytes (default 16 MiB)
 * @param maxStreams         {@code initialMaxStreams*} for both stream kinds (default 1024); quiche raises
 *                           the limit again as streams close
 * @param maxUdpPayload      the largest UDP payload sent and received, bytes (default 1452: 1500-byte
 *                           Ethernet MTU minus IPv4/IPv6 and UDP headers)
 * @param gsoSegments        UDP GSO segments per send (default 16); {@code gsoSegments * maxUdpPayload}
 *                           must stay within 65507 bytes or packets are silently lost
 * @param socketBufferBytes  {@code SO_RCVBUF} and {@code SO_SNDBUF} (default 4 MiB; the kernel caps them at
 *                           {@code net.core.rmem_max} / {@code wmem_max})
 */
public record TransportSettings(Duration idleTimeout, long connectionWindow, long streamWindow, long maxStreams,
                                int maxUdpPayload, int gsoSegments, int socketBufferBytes) {

    /** The largest payload of one UDP datagram, bytes. */
    public static final int MAX_DATAGRAM = 65507;

    /** Checks the values. */
    public TransportSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        if (connectionWindow < 1 || streamWindow < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("windows and stream limits must be positive");
        }
        if (maxUdpPayload < 1200 || maxUdpPayload > 2048) {
            throw new IllegalArgumentException("maxUdpPayload outside [1200, 2048]: " + maxUdpPayload);
        }
        if (gsoSegments < 1 || (long) gsoSegments * maxUdpPayload > MAX_DATAGRAM) {
            throw new IllegalArgumentException("gsoSegments x maxUdpPayload must be within " + MAX_DATAGRAM);
        }
        if (socketBufferBytes < 64 * 1024) {
            throw new IllegalArgumentException("socketBufferBytes < 64 KiB: " + socketBufferBytes);
        }
    }

    /** The defaults stated on each component. */
    public static TransportSettings defaults() {
        return new TransportSettings(Duration.ofSeconds(30), 32L << 20, 16L << 20, 1024, 1452, 16, 4 << 20);
    }

    /** These settings with another idle timeout. */
    public TransportSettings withIdleTimeout(Duration timeout) {
        return new TransportSettings(timeout, connectionWindow, streamWindow, maxStreams, maxUdpPayload,
                gsoSegments, socketBufferBytes);
    }

    /** These settings with other flow-control windows (connection, and each stream), bytes. */
    public TransportSettings withWindows(long connection, long stream) {
        return new TransportSettings(idleTimeout, connection, stream, maxStreams, maxUdpPayload, gsoSegments,
                socketBufferBytes);
    }
}
