package org.mpft.transport;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How big a UDP datagram may be on a path. QUIC's cost is per packet (a JNI call, quiche, one AEAD seal or
 * open each), so the payload size sets the CPU per byte. On a real network the path MTU is unknown and
 * {@link TransportSettings#ETHERNET_PAYLOAD} (1452) is the safe size; on loopback the path is the loopback
 * interface, whose MTU (65536 on Linux) the kernel guarantees end to end, as TCP uses it there. Only the
 * loopback case is decided automatically: an address on any other interface may be reached through routers
 * with a smaller MTU, so an admin who knows better sets {@code mpft.max-udp-payload}.
 *
 * <p>Whatever the MTU allows, quiche (netty's QUIC codec) builds packets of at most
 * {@value #LARGEST_QUIC_PACKET} bytes: with 65488 allowed on loopback every full packet on the wire was
 * exactly that long (tcpdump, 1 GiB download). A bigger announced payload only makes the receive slots
 * bigger, and fewer of them fit one {@code recvmmsg}: 16 KiB slots read 16 datagrams per call where 64 KiB
 * slots read 4 (1 GiB on loopback: 7-8% faster, 10% less client CPU, docs/BENCHMARKS.md).
 */
public final class DatagramSizes {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramSizes.class);

    /** IPv6 (40) and UDP (8) headers: the larger of the IP headers, so the payload fits either family. */
    static final int HEADERS = 48;

    /** The largest QUIC packet quiche builds, bytes (2^14 - 1): the payload used on loopback. */
    static final int LARGEST_QUIC_PACKET = 16383;

    private DatagramSizes() {
    }

    /**
     * The UDP payload to use toward (or bound on) {@code address}: for a loopback address the loopback
     * interface's MTU minus the headers, at most {@value #LARGEST_QUIC_PACKET}; for any other (including the
     * wildcard address, which serves every interface) {@link TransportSettings#ETHERNET_PAYLOAD}.
     */
    public static int forAddress(InetAddress address) {
        if (address == null || !address.isLoopbackAddress()) {
            return TransportSettings.ETHERNET_PAYLOAD;
        }
        return Math.min(LARGEST_QUIC_PACKET, payloadForMtu(loopbackMtu(address)));
    }

    /** The largest UDP payload an interface MTU allows, within [1200, 65507]. */
    static int payloadForMtu(int mtu) {
        return Math.max(TransportSettings.MIN_PAYLOAD, Math.min(TransportSettings.MAX_DATAGRAM, mtu - HEADERS));
    }

    /** The MTU of the interface holding {@code address}, or 1500 when the system will not say. */
    private static int loopbackMtu(InetAddress address) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            if (nif != null && nif.getMTU() > 0) {
                return nif.getMTU();
            }
        } catch (SocketException e) {
            LOG.debug("cannot read the MTU of the interface of {}: {}", address, e.toString());
        }
        return TransportSettings.ETHERNET_PAYLOAD + HEADERS;
    }

    /** {@code settings} with the payload for {@code address} ({@link #forAddress}). */
    public static TransportSettings toward(InetAddress address, TransportSettings settings) {
        int payload = forAddress(address);
        return payload == settings.maxUdpPayload() ? settings : settings.withMaxUdpPayload(payload);
    }
}
