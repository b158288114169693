package org.mpft.plugin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mpft.api.ChannelStartException;
import org.mpft.api.HostContext;
import org.mpft.protocol.Bytes;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener: binds the UDP port, creates one {@link Session} per QUIC connection and gives it the
 * connection's first client-opened bidirectional stream as its control stream. Owns the QUIC event loop
 * (one thread: every connection runs on it) and the pool for blocking work ({@code mpft.io-threads}).
 */
final class PrimaryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryServer.class);

    /** The folder of the plugin's data folder that holds the TLS identity. */
    static final String TLS_FOLDER = "tls";

    private static final AttributeKey<Session> SESSION = AttributeKey.valueOf(PrimaryServer.class, "session");

    private final MpftSettings settings;
    private final TlsIdentity identity;
    private final QuicTransport transport;
    private final ExecutorService io;
    private final SessionServices services;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile Channel listener;

    private PrimaryServer(MpftSettings settings, HostContext host, TlsIdentity identity) {
        this.settings = settings;
        this.identity = identity;
        this.transport = QuicTransport.create("mpft-quic", 1);
        this.io = Executors.newFixedThreadPool(settings.ioThreads(), new DefaultThreadFactory("mpft-io", true));
        this.services = new SessionServices(settings, host, io, Bytes.of(identity.certificateSha256()),
                new AtomicLong(new SecureRandom().nextLong() & 0x7FFF_FFFF_FFFF_0000L));
    }

    /**
     * Loads (or creates) the TLS identity in the data folder and binds the listener.
     *
     * @throws ChannelStartException naming the folder, address or port that failed
     */
    static PrimaryServer start(MpftSettings settings, HostContext host) throws ChannelStartException {
        TlsIdentity identity;
        try {
            identity = TlsIdentity.loadOrCreate(host.dataFolder().resolve(TLS_FOLDER), settings.name());
        } catch (IOException e) {
            throw new ChannelStartException("cannot load or create the TLS identity in "
                    + host.dataFolder().resolve(TLS_FOLDER) + ": " + e.getMessage(), e);
        }
        PrimaryServer server;
        try {
            server = new PrimaryServer(settings, host, identity);
        } catch (IllegalStateException | LinkageError e) {
            throw new ChannelStartException("cannot start QUIC: " + e.getMessage(), e);
        }
        server.bind();
        return server;
    }

    private void bind() throws ChannelStartException {
        InetSocketAddress local = new InetSocketAddress(settings.bind(), settings.port());
        TransportSettings transportSettings = TransportSettings.defaults().withIdleTimeout(settings.idleTimeout());
        ChannelFuture bound = transport.bindServer(local, QuicTls.serverContext(identity), transportSettings,
                new ConnectionInitializer(), new StreamInitializer());
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            close();
            throw new ChannelStartException("cannot listen on udp " + hostPort(local) + " (" + MpftSettings.BIND
                    + ", " + MpftSettings.PORT + "): " + bound.cause().getMessage(), bound.cause());
        }
        listener = bound.channel();
        LOG.info("mpft listening on udp {} (role primary, certificate sha256 {})", hostPort(address()),
                identity.fingerprintHex());
        if (!transport.isEpoll()) {
            LOG.warn("mpft runs on NIO: downloads will be several times slower than with epoll");
        }
    }

    /** The bound address (with the real port when {@code mpft.port} was 0). */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The listener certificate's SHA-256, hex. */
    String fingerprint() {
        return identity.fingerprintHex();
    }

    @Override
    public void close() {
        Channel l = listener;
        if (l != null) {
            l.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (Session session : sessions) {
            session.connectionClosed();
        }
        transport.close();
        io.shutdownNow();
        LOG.info("mpft listener stopped");
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Creates a session per connection and forgets it when the connection closes. */
    @ChannelHandler.Sharable
    private final class ConnectionInitializer extends ChannelInitializer<QuicChannel> {
        @Override
        protected void initChannel(QuicChannel connection) {
            boolean overLimit = sessions.size() >= settings.maxSessions();
            Session session = new Session(connection, services, overLimit);
            connection.attr(SESSION).set(session);
            sessions.add(session);
            connection.closeFuture().addListener(f -> {
                sessions.remove(session);
                session.connectionClosed();
            });
        }
    }

    /** Hands a client-opened stream to its session, which keeps the first bidirectional one. */
    @ChannelHandler.Sharable
    private static final class StreamInitializer extends ChannelInitializer<QuicStreamChannel> {
        @Override
        protected void initChannel(QuicStreamChannel stream) {
            Session session = stream.parent().attr(SESSION).get();
            if (session == null || !session.acceptControlStream(stream)) {
                stream.close();
            }
        }
    }
}
