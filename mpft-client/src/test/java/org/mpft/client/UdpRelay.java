package org.mpft.client;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A UDP relay in front of a server, standing for the network between client and server: every client address
 * gets an upstream socket of its own. {@link #switchTo} points the relay at another server (a restarted one on
 * the same address, as the client sees it) and from then on drops everything that comes back on the upstream
 * sockets made before: the old server's last packets (its CONNECTION_CLOSE) never reach the client, so a
 * connection made before looks up to the client until it tries to use it.
 */
final class UdpRelay implements AutoCloseable {

    private final DatagramSocket front;
    private final Map<SocketAddress, Upstream> upstreams = new ConcurrentHashMap<>();
    private volatile InetSocketAddress server;
    private volatile int epoch;
    private volatile boolean closed;

    UdpRelay(int serverPort) throws IOException {
        server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
        front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon("relay-front", this::fromClients);
    }

    int port() {
        return front.getLocalPort();
    }

    /** The client addresses (one per client connection) that sent through the relay so far. */
    int clients() {
        return upstreams.size();
    }

    /** From now on clients reach the server on {@code serverPort}; what earlier servers send is dropped. */
    void switchTo(int serverPort) {
        server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
        epoch++;
    }

    private void fromClients() {
        byte[] buffer = new byte[65536];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                front.receive(packet);
                Upstream upstream = upstreams.computeIfAbsent(packet.getSocketAddress(), this::upstream);
                upstream.socket.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength(),
                        server));
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private Upstream upstream(SocketAddress client) {
        try {
            Upstream upstream = new Upstream(new DatagramSocket(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), 0)), epoch);
            daemon("relay-back", () -> toClient(upstream, client));
            return upstream;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void toClient(Upstream upstream, SocketAddress client) {
        byte[] buffer = new byte[65536];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                upstream.socket.receive(packet);
                if (upstream.epoch == epoch) {
                    front.send(new DatagramPacket(packet.getData(), packet.getOffset(), packet.getLength(), client));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        upstreams.values().forEach(u -> u.socket.close());
    }

    private record Upstream(DatagramSocket socket, int epoch) {
    }
}
