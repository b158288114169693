package org.mpft.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds free ports on 127.0.0.1 for tests that must name a port in a config file (a QUIC listener, a
 * secondary's address). A port found free can be taken by someone else before it is bound again, so use
 * it at once; prefer port 0 wherever the code under test can report the port it bound.
 */
public final class FreePorts {

    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /** A TCP port free on 127.0.0.1. */
    public static int tcp() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }

    /** A UDP port free on 127.0.0.1. */
    public static int udp() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free UDP port on 127.0.0.1", e);
        }
    }

    /** A port number free on 127.0.0.1 for TCP and for UDP at the same time. */
    public static int tcpAndUdp() {
        for (int i = 0; i < ATTEMPTS; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(
                         new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (IOException e) {
                // the UDP side of that number is taken: try another
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP on 127.0.0.1 after " + ATTEMPTS + " attempts");
    }
}
