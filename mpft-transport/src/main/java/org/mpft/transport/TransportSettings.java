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
 *                           Ethernet MTU minus IPv6 and UDP headers; larger where the path is known to carry
 *                           more, see {@link DatagramSizes})
 * @param gsoSegments        UDP GSO segments per send (default 16); {@code gsoSegments * maxUdpPayload}
 *                           must stay within 65507 bytes or packets are silently lost
 * @param socketBufferBytes  {@code SO_RCVBUF} and {@code SO_SNDBUF} (default 4 MiB; the kernel caps them at
 *                           {@code net.core.rmem_max} / {@code wmem_max})
 */
public record TransportSettings(Duration idleTimeout, long connectionWindow, long streamWindow, long maxStreams,
                                int maxUdpPayload, int gsoSegments, int socketBufferBytes) {

    /** The largest payload of one UDP datagram, bytes. */
    public static final int MAX_DATAGRAM = 65507;

    /** The default UDP payload: a 1500-byte Ethernet MTU minus the IPv6 (40) and UDP (8) headers. */
    public static final int ETHERNET_PAYLOAD = 1452;

    /** The smallest UDP payload QUIC allows (RFC 9000, 14). */
    public static final int MIN_PAYLOAD = 1200;

    /** The default number of UDP GSO segments per send. */
    public static final int GSO_SEGMENTS = 16;

    /** The receive slot per datagram is at least this big (a payload larger than its slot is truncated). */
    private static final int MIN_SLOT = 2048;

    /** A {@code recvmmsg} reads into one buffer of up to this many bytes of slots (and at most 32 datagrams). */
    private static final int READ_BYTES = 256 * 1024;

    /** Checks the values. */
    public TransportSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        if (connectionWindow < 1 || streamWindow < 1 || maxStreams < 1) {
            throw new IllegalArgumentException("windows and stream limits must be positive");
        }
        if (maxUdpPayload < MIN_PAYLOAD || maxUdpPayload > MAX_DATAGRAM) {
            throw new IllegalArgumentException("maxUdpPayload outside [" + MIN_PAYLOAD + ", " + MAX_DATAGRAM + "]: "
                    + maxUdpPayload);
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
        return new TransportSettings(Duration.ofSeconds(30), 32L << 20, 16L << 20, 1024, ETHERNET_PAYLOAD,
                GSO_SEGMENTS, 4 << 20);
    }

    /**
     * These settings with another UDP payload size; the GSO segments per send shrink so that one send stays
     * within {@link #MAX_DATAGRAM} (one segment, that is no GSO, for payloads above half of it).
     */
    public TransportSettings withMaxUdpPayload(int payload) {
        int segments = Math.max(1, Math.min(GSO_SEGMENTS, MAX_DATAGRAM / Math.max(payload, 1)));
        return new TransportSettings(idleTimeout, connectionWindow, streamWindow, maxStreams, payload, segments,
                socketBufferBytes);
    }

    /** The receive slot of one datagram, bytes: never smaller than the largest payload accepted. */
    public int receiveSlot() {
        return Math.max(MIN_SLOT, maxUdpPayload);
    }

    /** Datagrams read per {@code recvmmsg} call: 32 slots of 2 KiB, 4 of the big loopback slots (256 KiB). */
    public int datagramsPerRead() {
        return Math.max(1, Math.min(32, READ_BYTES / receiveSlot()));
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
