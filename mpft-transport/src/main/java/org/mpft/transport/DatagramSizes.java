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
 */
public final class DatagramSizes {

    private static final Logger LOG = LoggerFactory.getLogger(DatagramSizes.class);

    /** IPv6 (40) and UDP (8) headers: the larger of the IP headers, so the payload fits either family. */
    static final int HEADERS = 48;

    private DatagramSizes() {
    }

    /**
     * The UDP payload to use toward (or bound on) {@code address}: the loopback interface's MTU minus the
     * headers for a loopback address, {@link TransportSettings#ETHERNET_PAYLOAD} for any other (including the
     * wildcard address, which serves every interface).
     */
    public static int forAddress(InetAddress address) {
        if (address == null || !address.isLoopbackAddress()) {
            return TransportSettings.ETHERNET_PAYLOAD;
        }
        return payloadForMtu(loopbackMtu(address));
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
