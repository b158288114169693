package org.mpft.plugin;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
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
import org.mpft.cache.ChunkCache;
import org.mpft.cache.MetadataCache;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.FrameCodec;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.DatagramSizes;
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

    /** The folder of the plugin's data folder that holds a primary's chunk digests ({@link DigestStore}). */
    static final String DIGESTS_FOLDER = "digests";

    private static final AttributeKey<Session> SESSION = AttributeKey.valueOf(PrimaryServer.class, "session");

    private final MpftSettings settings;
    private final TlsIdentity identity;
    private final QuicTransport transport;
    private final ExecutorService io;
    private final ExecutorService digests;
    private final ExecutorService prefetch;
    private final SessionServices services;
    private final HostContext host;
    private final SendRateLimiter limiter;
    private final ClusterSecret secret;
    private volatile PrimaryCluster cluster;
    private volatile SecondaryRole secondary;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile Channel listener;

    private PrimaryServer(MpftSettings settings, HostContext host, TlsIdentity identity, ClusterSecret secret) {
        this.settings = settings;
        this.identity = identity;
        this.host = host;
        this.secret = secret;
        this.transport = QuicTransport.create("mpft-quic", 1);
        this.io = Executors.newFixedThreadPool(settings.ioThreads(), new DefaultThreadFactory("mpft-io", true));
        this.digests = Executors.newSingleThreadExecutor(new DefaultThreadFactory("mpft-digest", true));
        // read-ahead: two threads, a bounded queue; a read-ahead that finds it full is not made
        this.prefetch = new java.util.concurrent.ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(256), new DefaultThreadFactory("mpft-prefetch", true),
                new java.util.concurrent.ThreadPoolExecutor.AbortPolicy());
        this.limiter = settings.maxSendRate() > 0 ? new SendRateLimiter(settings.maxSendRate(), System::nanoTime)
                : SendRateLimiter.UNLIMITED;
        this.services = new SessionServices(settings, host, io, Bytes.of(identity.certificateSha256()),
                new AtomicLong(new SecureRandom().nextLong() & 0x7FFF_FFFF_FFFF_0000L), limiter, null, null, digests,
                chunkSource(settings), new ChunkPrefetcher.Pool(prefetch,
                        new ChunkPrefetcher.Budget(settings.maxBytesInFlight()), settings.prefetch()),
                new DigestStore(host.dataFolder().resolve(DIGESTS_FOLDER), settings.digestsMaxBytes()));
    }

    /** The services with the role's parts, once they exist (after the bind: a secondary advertises its port). */
    private volatile SessionServices roleServices;

    private SessionServices services() {
        SessionServices s = roleServices;
        return s != null ? s : services;
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
        ClusterSecret secret = null;
        if (settings.clusterSecretFile() != null) {
            secret = ClusterSecret.load(settings.clusterSecretFile(), host.dataFolder(),
                    MpftSettings.CLUSTER_SECRET_FILE);
        }
        PrimaryServer server;
        try {
            server = new PrimaryServer(settings, host, identity, secret);
        } catch (IllegalStateException | LinkageError e) {
            throw new ChannelStartException("cannot start QUIC: " + e.getMessage(), e);
        }
        server.bind();
        server.startRole();
        return server;
    }

    private void bind() throws ChannelStartException {
        InetSocketAddress local = new InetSocketAddress(settings.bind(), settings.port());
        TransportSettings tuned = TransportSettings.defaults().withIdleTimeout(settings.idleTimeout());
        tuned = settings.maxUdpPayload() == 0 ? DatagramSizes.toward(settings.bind(), tuned)
                : tuned.withMaxUdpPayload(settings.maxUdpPayload());
        // what a client may open and push at this listener: mpft.max-streams-per-connection streams at once,
        // flow-control windows no larger than mpft.max-bytes-in-flight
        TransportSettings transportSettings = new TransportSettings(tuned.idleTimeout(),
                Math.min(tuned.connectionWindow(), settings.maxBytesInFlight()),
                Math.min(tuned.streamWindow(), settings.maxBytesInFlight()), settings.maxStreamsPerConnection(),
                tuned.maxUdpPayload(), tuned.gsoSegments(), tuned.socketBufferBytes());
        ChannelFuture bound = transport.bindServer(local, QuicTls.serverContext(identity), transportSettings,
                new ConnectionInitializer(), new StreamInitializer());
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            close();
            throw new ChannelStartException("cannot listen on udp " + hostPort(local) + " (" + MpftSettings.BIND
                    + ", " + MpftSettings.PORT + "): " + bound.cause().getMessage(), bound.cause());
        }
        listener = bound.channel();
        LOG.info("mpft listening on udp {} (role {}, certificate sha256 {}, UDP payloads up to {} bytes{})",
                hostPort(address()), settings.role().name().toLowerCase(java.util.Locale.ROOT),
                identity.fingerprintHex(), transportSettings.maxUdpPayload(),
                limiter.limited() ? ", send rate capped at " + limiter.bytesPerSecond() + " B/s" : "");
        if (!transport.isEpoll()) {
            LOG.warn("mpft runs on NIO: downloads will be several times slower than with epoll");
        }
    }

    /** Starts what the role adds: a primary's cluster links, or a secondary's registry. */
    private void startRole() throws ChannelStartException {
        if (settings.role() == MpftSettings.Role.SECONDARY) {
            String advertiseHost = settings.advertiseHost() != null ? settings.advertiseHost()
                    : address().getAddress().getHostAddress();
            int advertisePort = settings.advertisePort() > 0 ? settings.advertisePort() : address().getPort();
            if (settings.advertiseHost() == null && address().getAddress().isAnyLocalAddress()) {
                close();
                throw new ChannelStartException("invalid setting " + MpftSettings.ADVERTISE_ADDRESS
                        + ": required when " + MpftSettings.BIND + " is a wildcard address");
            }
            SecondaryTransfers registry = new SecondaryTransfers(secret, settings.name(), host,
                    System::currentTimeMillis, SecondaryTransfers.DEFAULT_MAX_TRANSFERS);
            secondary = new SecondaryRole(secret, settings.name(), advertiseHost, advertisePort,
                    Bytes.of(identity.certificateSha256()), settings.acceptPrimaries(), registry, io, limiter,
                    services.chunks(), services.prefetch());
            LOG.info("mpft secondary {}: accepts cluster links from {}; clients reach it at {}:{}", settings.name(),
                    settings.acceptPrimaries(), advertiseHost, advertisePort);
        } else if (!settings.secondaries().isEmpty()) {
            try {
                cluster = PrimaryCluster.start(secret, settings.name(), settings.secondaries(), transport,
                        TransportSettings.defaults().withIdleTimeout(settings.idleTimeout()));
            } catch (java.net.UnknownHostException e) {
                close();
                throw new ChannelStartException("invalid setting " + MpftSettings.SECONDARIES + ": unknown host "
                        + e.getMessage(), e);
            }
            LOG.info("mpft primary {}: secondaries {}", settings.name(), settings.secondaries());
        }
        roleServices = new SessionServices(settings, host, io, services.certificateSha256(), services.transferIds(),
                limiter, cluster, secondary, digests, services.chunks(), services.prefetch(),
                services.digestStore());
    }

    /** The instance's chunk cache ({@code mpft.cache.max-bytes}), compression and counters (published over JMX). */
    private static ChunkSource chunkSource(MpftSettings settings) {
        ChunkCache cache = ChunkCache.builder().maximumBytes(settings.cacheMaxBytes()).build();
        // checksums of cached chunks: about one per cached chunk of the smallest size
        MetadataCache<Bytes> checksums = MetadataCache.builder()
                .maximumEntries(settings.cacheMaxBytes() == 0 ? 0 : Math.max(1024, settings.cacheMaxBytes()
                        / settings.chunkSizeMin())).build();
        MpftMetrics metrics = new MpftMetrics();
        metrics.cacheBytes(() -> cache.stats().weightedSizeBytes());
        metrics.register(settings.name());
        return new ChunkSource(cache, checksums, metrics, settings.compression());
    }

    /** The instance's counters. */
    MpftMetrics metrics() {
        return services.chunks().metrics();
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
        if (cluster != null) {
            cluster.close();
        }
        if (secondary != null) {
            secondary.close();
        }
        transport.close();
        io.shutdownNow();
        services.chunks().metrics().unregister();
        services.chunks().cache().invalidateAll();
        digests.shutdownNow();
        prefetch.shutdownNow();
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
            // sessions whose conversation is over (a connection still closing) do not count
            boolean overLimit = sessions.stream().filter(live -> !live.ended()).count() >= settings.maxSessions();
            Session session = new Session(connection, services(), overLimit);
            connection.attr(SESSION).set(session);
            sessions.add(session);
            connection.closeFuture().addListener(f -> {
                sessions.remove(session);
                session.connectionClosed();
            });
        }
    }

    /**
     * Hands a client-opened stream to its session, which keeps the first bidirectional one. On a secondary
     * the first frame decides: a cluster link or a client's control stream ({@link LinkSniffer}).
     */
    @ChannelHandler.Sharable
    private final class StreamInitializer extends ChannelInitializer<QuicStreamChannel> {
        @Override
        protected void initChannel(QuicStreamChannel stream) {
            Session session = stream.parent().attr(SESSION).get();
            SecondaryRole role = secondary;
            if (session != null && role != null && stream.type() == QuicStreamType.BIDIRECTIONAL) {
                stream.pipeline().addLast(new LinkSniffer(session, role));
                return;
            }
            if (session == null || !session.acceptControlStream(stream)) {
                refuseStream(stream);
            }
        }
    }

    /**
     * Closes a client-opened stream the session does not take (a second bidirectional stream, any
     * unidirectional one). A bidirectional one first gets ERROR(LIMIT_EXCEEDED) saying why, so a client
     * never waits on it; the session itself carries on. QUIC itself refuses streams beyond
     * {@code mpft.max-streams-per-connection} open at once (STREAM_LIMIT at the client).
     */
    private void refuseStream(QuicStreamChannel stream) {
        if (stream.type() != QuicStreamType.BIDIRECTIONAL || !stream.isActive()) {
            stream.close();
            return;
        }
        ErrorFrame refusal = ErrorFrame.of(ErrorCode.LIMIT_EXCEEDED, settings.name()
                + " takes one control stream per connection; this stream is refused ("
                + MpftSettings.MAX_STREAMS_PER_CONNECTION + "=" + settings.maxStreamsPerConnection()
                + " streams open at once)");
        // encoded here, no codec on the stream: whatever the client sends on it is dropped, not parsed
        stream.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.encode(refusal))).addListener(f -> stream.close());
    }
}
