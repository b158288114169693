package org.mpft.plugin;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.mpft.api.ChannelStartException;
import org.mpft.api.HostContext;
import org.mpft.cache.ChunkCache;
import org.mpft.cache.MetadataCache;
import org.mpft.plugin.cluster.ClusterSecret;
import org.mpft.plugin.observe.InstanceReadings;
import org.mpft.plugin.observe.MetricsServer;
import org.mpft.plugin.observe.MpftMetrics;
import org.mpft.plugin.observe.PrometheusExposition;
import org.mpft.plugin.primary.DigestStore;
import org.mpft.plugin.primary.PrimaryCluster;
import org.mpft.plugin.primary.PrimaryTransfers;
import org.mpft.plugin.primary.TransferSettings;
import org.mpft.plugin.secondary.SecondaryRole;
import org.mpft.plugin.secondary.SecondaryTransfers;
import org.mpft.plugin.send.ChunkPrefetcher;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.ChunkSource;
import org.mpft.plugin.send.SendBudget;
import org.mpft.plugin.send.SendRateLimiter;
import org.mpft.plugin.session.LoginPool;
import org.mpft.plugin.session.LoginThrottle;
import org.mpft.plugin.session.LoginTokens;
import org.mpft.plugin.session.OfferMinter;
import org.mpft.plugin.session.PreLoginLimits;
import org.mpft.plugin.session.SessionLimits;
import org.mpft.plugin.session.SessionSettings;
import org.mpft.plugin.session.Sessions;
import org.mpft.protocol.Bytes;
import org.mpft.transport.ChunkBuffers;
import org.mpft.transport.DatagramSizes;
import org.mpft.transport.QuicTls;
import org.mpft.transport.RetryTokens;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started mpft channel: builds every part of the instance's role from the settings (the TLS identity,
 * the thread pools, the chunk read pipeline, the primary's secondaries or the secondary's registry, the
 * session limits), then binds the {@link MpftListener}. {@link #close()} releases all of it.
 */
final class MpftInstance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MpftInstance.class);

    /** The flow-control window a client's connection gets at this listener, bytes (control frames only). */
    static final long RECEIVE_CONNECTION_WINDOW = 256 * 1024;

    /** The flow-control window of each stream a client opens, bytes (a HELLO or AUTH fits many times over). */
    static final long RECEIVE_STREAM_WINDOW = 128 * 1024;

    /** The folder of the plugin's data folder that holds the TLS identity. */
    static final String TLS_FOLDER = "tls";

    /** The folder of the plugin's data folder that holds a primary's chunk digests ({@link DigestStore}). */
    static final String DIGESTS_FOLDER = "digests";

    /**
     * Threads that check logins with the host, apart from the I/O pool that reads chunks (password hashing
     * is slow on purpose: a login flood must not stall downloads).
     */
    static final int LOGIN_THREADS = 2;

    /**
     * A secondary's threads for REGISTER_TRANSFER (the host checks the user and opens the file), apart from the I/O
     * pool and its chunk reads: a burst of registrations, each waited for by a client's attach, does not queue behind
     * the reads of the transfers under way, nor they behind it.
     */
    static final int REGISTRATION_THREADS = 2;

    /** Logins waiting for a login thread; one more is answered busy (LIMIT_EXCEEDED) at once. */
    static final int LOGIN_QUEUE = 64;

    /** The transport, the pools and the chunk cache's parts, in the order they close (after the others). */
    private final List<AutoCloseable> parts = new ArrayList<>();
    /** The primary's links to its secondaries, or the secondary's role; null when the instance has neither. */
    private AutoCloseable role;
    private MpftListener listener;
    /** Mints session offers; null on a secondary. */
    private volatile OfferMinter offers;

    private MpftInstance() {
    }

    /**
     * Builds the instance's parts and binds the listener.
     *
     * @throws ChannelStartException naming the setting, folder, address or port that failed
     */
    static MpftInstance start(MpftSettings settings, HostContext host) throws ChannelStartException {
        MpftInstance instance = new MpftInstance();
        try {
            instance.build(settings, host);
            return instance;
        } catch (ChannelStartException | RuntimeException | Error e) {
            instance.close();
            throw e;
        }
    }

    private void build(MpftSettings settings, HostContext host) throws ChannelStartException {
        TlsIdentity identity = tlsIdentity(settings, host.dataFolder());
        ClusterSecret secret = settings.clusterSecretFile() == null ? null
                : ClusterSecret.load(settings.clusterSecretFile(), host.dataFolder(), MpftKeys.CLUSTER_SECRET_FILE.key());
        Bytes certificate = Bytes.of(identity.certificateSha256());
        QuicTransport transport;
        ExecutorService io;
        ExecutorService digests;
        ExecutorService prefetch;
        LoginPool login;
        try {
            transport = QuicTransport.create("mpft-quic", 1, settings.congestionControl());
            parts.add(transport::close);
            io = Executors.newFixedThreadPool(settings.ioThreads(), new DefaultThreadFactory("mpft-io", true));
            parts.add(io::shutdownNow);
            digests = Executors.newFixedThreadPool(settings.digestThreads(),
                    new DefaultThreadFactory("mpft-digest", true));
            parts.add(digests::shutdownNow);
            // read-ahead: two threads, a bounded queue; a read-ahead that finds it full is not made
            prefetch = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                    new DefaultThreadFactory("mpft-prefetch", true), new ThreadPoolExecutor.AbortPolicy());
            parts.add(prefetch::shutdownNow);
            login = new LoginPool(LOGIN_THREADS, LOGIN_QUEUE, new DefaultThreadFactory("mpft-login", true));
            parts.add(login);
        } catch (IllegalStateException | LinkageError e) {
            throw new ChannelStartException("cannot start QUIC: " + e.getMessage(), e);
        }
        SendRateLimiter limiter = settings.maxSendRate() > 0
                ? new SendRateLimiter(settings.maxSendRate(), System::nanoTime) : SendRateLimiter.UNLIMITED;
        ChunkSource chunks = chunkSource(settings);
        ChunkReader reader = new ChunkReader(ChunkBuffers.ALLOCATOR, limiter, chunks, false);
        ChunkPrefetcher.Pool prefetchPool = new ChunkPrefetcher.Pool(prefetch,
                new ChunkPrefetcher.Budget(settings.maxBytesInFlight()), settings.prefetch());
        SendBudget sendBudget = new SendBudget(settings.maxBytesHeld());
        chunks.metrics().bytesHeld(sendBudget::held, sendBudget::peak);

        SecondaryRole secondary = null;
        PrimaryCluster cluster = null;
        if (settings.role() == MpftSettings.Role.SECONDARY) {
            if (settings.advertiseHost() == null && settings.bind().isAnyLocalAddress()) {
                throw new ChannelStartException("invalid setting " + MpftKeys.ADVERTISE_ADDRESS.key()
                        + ": required when " + MpftKeys.BIND.key() + " is a wildcard address");
            }
            String advertiseHost = settings.advertiseHost() != null ? settings.advertiseHost()
                    : settings.bind().getHostAddress();
            SecondaryTransfers registry = new SecondaryTransfers(secret, settings.name(), host,
                    System::currentTimeMillis, settings.maxTicketLifetime(), SecondaryTransfers.DEFAULT_MAX_TRANSFERS);
            // registrations on threads of their own, apart from the chunk reads on the io threads
            ExecutorService registrations = Executors.newFixedThreadPool(REGISTRATION_THREADS,
                    new DefaultThreadFactory("mpft-register", true));
            parts.add(registrations::shutdownNow);
            secondary = new SecondaryRole(secret, settings.name(), advertiseHost, settings.advertisePort(),
                    certificate, settings.acceptPrimaries(), registry, io, registrations, reader, prefetchPool,
                    sendBudget, settings.maxBytesInFlight(), settings.chunkRetries());
            role = secondary;
        } else if (!settings.secondaries().isEmpty()) {
            List<PrimaryCluster.Secondary> targets = settings.secondaries().stream()
                    .map(hp -> new PrimaryCluster.Secondary(hp.host(), hp.port())).toList();
            try {
                cluster = PrimaryCluster.start(secret, settings.name(), targets, transport,
                        TransportSettings.defaults().withIdleTimeout(settings.clusterLinkTimeout()),
                        settings.clusterRegisterTimeout());
            } catch (UnknownHostException e) {
                throw new ChannelStartException("invalid setting " + MpftKeys.SECONDARIES.key() + ": unknown host "
                        + e.getMessage(), e);
            }
            role = cluster;
        }

        TransferSettings transferSettings = new TransferSettings(settings.window(), settings.chunkRetries(),
                settings.chunkTimeouts(), settings.strategy(), settings.checksum(), settings.chunkSize(),
                settings.chunkSizeFixed(), settings.chunkSizeMin(), settings.chunkSizeMax());
        PrimaryTransfers transfers = new PrimaryTransfers(transferSettings, io, digests, chunks, reader, prefetchPool,
                new DigestStore(host.dataFolder().resolve(DIGESTS_FOLDER), settings.digestsMaxBytes()), cluster,
                new SecureRandom().nextLong() & 0x7FFF_FFFF_FFFF_0000L, sendBudget, settings.maxBytesInFlight());
        PreLoginLimits preLogin = new PreLoginLimits(settings.maxUnauthenticated(),
                settings.maxUnauthenticatedPerSource(), settings.loginTimeout(), System::nanoTime);
        LoginThrottle throttle = new LoginThrottle(settings.authBackoffBase(),
                settings.authBackoffMax(), settings.authBackoffFreeFailures(), settings.authBackoffForget(),
                LoginThrottle.DEFAULT_MAX_KEYS, System::nanoTime);
        SessionLimits limits = new SessionLimits(throttle, preLogin,
                settings.maxSessions(), settings.maxSessionsPerUser(), settings.maxTransfersPerSession(),
                settings.maxConcurrentTransfers());
        LoginTokens tokens = new LoginTokens(settings.loginTokenLifetime(), LoginTokens.DEFAULT_MAX_TOKENS,
                settings.maxLoginTokensPerUser(), System::nanoTime);
        Sessions sessions = new Sessions(new SessionSettings(settings.name(), settings.maxSessions(),
                settings.maxFileSize(), settings.chunkSize(), settings.authFailureDelay(), chunks.compressionEnabled(),
                settings.maxListsPerSession()),
                host.authenticator(), certificate, tokens, limits, host.fileAccess(), io, login, transfers, secondary);

        PrimaryCluster links = cluster;
        RetryTokens retryTokens = retryTokens(settings, preLogin);
        chunks.metrics().readings(new InstanceReadings(settings.role().name().toLowerCase(Locale.ROOT),
                limits::sessions, limits.preLogin()::total, throttle::successes, throttle::failures,
                throttle::lockedOut, () -> links == null ? Map.of() : links.linkStates(), retryTokens::minted,
                retryTokens::validated));
        serveMetrics(settings, chunks.metrics());

        InetSocketAddress local = new InetSocketAddress(settings.bind(), settings.port());
        TransportSettings transportSettings = transportSettings(settings);
        listener = MpftListener.bind(settings, sessions, secondary, transport, local,
                QuicTls.serverContext(identity), transportSettings, retryTokens);
        if (secondary == null) {
            // a secondary has no login of its own, so it offers no session
            String offeredHost = settings.advertiseHost() != null ? settings.advertiseHost()
                    : settings.bind().isAnyLocalAddress() ? null : settings.bind().getHostAddress();
            offers = new OfferMinter(tokens, offeredHost,
                    settings.advertisePort() > 0 ? settings.advertisePort() : listener.address().getPort(), certificate);
        }
        LOG.info("mpft listening on udp {} (role {}, certificate sha256 {}, UDP payloads up to {} bytes{})",
                hostPort(listener.address()), settings.role().name().toLowerCase(Locale.ROOT),
                identity.fingerprintHex(), transportSettings.maxUdpPayload(),
                limiter.limited() ? ", send rate capped at " + limiter.bytesPerSecond() + " B/s" : "");
        if (!transport.isEpoll()) {
            LOG.warn("mpft runs on NIO: downloads will be several times slower than with epoll");
        }
        if (secondary != null) {
            LOG.info("mpft secondary {}: accepts cluster links from {}; clients reach it at {}:{}", settings.name(),
                    settings.acceptPrimaries(), secondary.advertiseHost(),
                    settings.advertisePort() > 0 ? settings.advertisePort() : listener.address().getPort());
        } else if (cluster != null) {
            LOG.info("mpft primary {}: secondaries {}", settings.name(), settings.secondaries());
        }
    }

    /**
     * Starts the Prometheus endpoint when {@code mpft.metrics.bind} is set (before the QUIC listener: a bad
     * address stops the start); it stops with the instance.
     */
    private void serveMetrics(MpftSettings settings, MpftMetrics metrics) throws ChannelStartException {
        MpftSettings.HostPort bind = settings.metricsBind();
        if (bind == null) {
            return;
        }
        String key = MpftKeys.METRICS_BIND.key();
        InetSocketAddress address = new InetSocketAddress(bind.host(), bind.port());
        if (address.isUnresolved()) {
            throw new ChannelStartException("invalid setting " + key + ": unknown host " + bind.host());
        }
        try {
            MetricsServer server = MetricsServer.start(address, new PrometheusExposition(metrics));
            parts.add(server);
            LOG.info("mpft metrics on http://{}{}", hostPort(server.address()), MetricsServer.PATH);
        } catch (IOException e) {
            throw new ChannelStartException("invalid setting " + key + ": cannot listen on tcp " + bind + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The administrator's certificate and key ({@code mpft.tls.certificate}, {@code mpft.tls.key}) when set,
     * else the self-signed identity kept in the data folder (created on first start).
     *
     * @throws ChannelStartException naming the keys and files when the identity cannot be loaded or created
     */
    static TlsIdentity tlsIdentity(MpftSettings settings, Path dataFolder) throws ChannelStartException {
        if (settings.tlsCertificate() != null) {
            Path certificate = dataFolder.resolve(settings.tlsCertificate()).toAbsolutePath().normalize();
            Path key = dataFolder.resolve(settings.tlsKey()).toAbsolutePath().normalize();
            try {
                return TlsIdentity.load(certificate, key);
            } catch (IOException e) {
                throw new ChannelStartException("invalid setting " + MpftKeys.TLS_CERTIFICATE.key() + "/"
                        + MpftKeys.TLS_KEY.key() + ": " + e.getMessage(), e);
            }
        }
        try {
            return TlsIdentity.loadOrCreate(dataFolder.resolve(TLS_FOLDER), settings.name());
        } catch (IOException e) {
            throw new ChannelStartException("cannot load or create the TLS identity in "
                    + dataFolder.resolve(TLS_FOLDER) + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a client may open and push at this listener: {@code mpft.max-streams-per-connection} streams at
     * once, and small flow-control windows ({@link #RECEIVE_CONNECTION_WINDOW}, {@link #RECEIVE_STREAM_WINDOW}).
     * A client only sends control frames (chunk data flows the other way, under the client's own windows), so
     * small windows cost nothing, and they bound what a connection can make the server buffer before it has
     * logged in (out-of-order stream data is kept up to the window). quiche raises a stream's window as the
     * server reads it, so a large frame (a resume's START) still arrives, in a few more round trips.
     */
    private static TransportSettings transportSettings(MpftSettings settings) {
        TransportSettings tuned = TransportSettings.defaults().withIdleTimeout(settings.idleTimeout());
        tuned = settings.maxUdpPayload() == 0 ? DatagramSizes.toward(settings.bind(), tuned)
                : tuned.withMaxUdpPayload(settings.maxUdpPayload());
        return new TransportSettings(tuned.idleTimeout(), RECEIVE_CONNECTION_WINDOW, RECEIVE_STREAM_WINDOW,
                settings.maxStreamsPerConnection(), tuned.maxUdpPayload(), tuned.gsoSegments(),
                tuned.socketBufferBytes());
    }

    /**
     * Address validation by QUIC Retry: {@code auto} asks for it while half of the pre-login budget is in
     * use, the point where connections from spoofed sources would start to crowd out real clients.
     */
    private static RetryTokens retryTokens(MpftSettings settings, PreLoginLimits preLogin) {
        BooleanSupplier required = switch (settings.addressValidation()) {
            case ALWAYS -> () -> true;
            case OFF -> () -> false;
            case AUTO -> () -> preLogin.total() * 2 >= preLogin.maxTotal();
        };
        return new RetryTokens(required, System::currentTimeMillis, new SecureRandom());
    }

    /** The instance's chunk cache ({@code mpft.cache.max-bytes}), compression and counters (published over JMX). */
    private ChunkSource chunkSource(MpftSettings settings) {
        ChunkCache cache = ChunkCache.builder().maximumBytes(settings.cacheMaxBytes()).build();
        // checksums of cached chunks: about one per cached chunk of the smallest size
        MetadataCache<Bytes> checksums = MetadataCache.builder()
                .maximumEntries(settings.cacheMaxBytes() == 0 ? 0 : Math.max(1024, settings.cacheMaxBytes()
                        / settings.chunkSizeMin())).build();
        MpftMetrics metrics = new MpftMetrics();
        metrics.cacheBytes(() -> cache.stats().weightedSizeBytes());
        metrics.register(settings.name());
        parts.add(metrics::unregister);
        parts.add(cache::invalidateAll);
        return new ChunkSource(cache, checksums, metrics, settings.compression());
    }

    /** Stops the listener first (no connection comes in while the rest shuts down), then the role, then the rest. */
    /** Mints the session offers of this instance; null on a secondary (it has no login). */
    OfferMinter offers() {
        return offers;
    }

    @Override
    public void close() {
        List<AutoCloseable> order = new ArrayList<>();
        if (listener != null) {
            order.add(listener);
        }
        if (role != null) {
            order.add(role);
        }
        order.addAll(parts);
        for (AutoCloseable part : order) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("mpft: closing {} failed: {}", part, e.toString());
            }
        }
        listener = null;
        role = null;
        parts.clear();
        LOG.info("mpft listener stopped");
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
