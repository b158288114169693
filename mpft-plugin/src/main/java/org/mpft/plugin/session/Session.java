package org.mpft.plugin;

import org.mpft.transport.ChunkBuffers;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Attached;
import org.mpft.protocol.ChunkError;
import org.mpft.protocol.ChunkSent;
import org.mpft.protocol.EndTransfer;
import org.mpft.protocol.Features;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.AuthPublicKey;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.Cancel;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Done;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Nack;
import org.mpft.protocol.Open;
import org.mpft.protocol.ProtocolException;
import org.mpft.protocol.ServerHello;
import org.mpft.protocol.Start;
import org.mpft.protocol.Strategy;
import org.mpft.transport.FrameStreamCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the state machine of its control stream.
 * {@code HELLO -> SERVER_HELLO (challenge) -> AUTH_* -> AUTH_OK -> OPEN -> META -> START -> chunk streams,
 * ACK/NACK ... -> DONE or CANCEL}, after which another OPEN may follow. A frame out of order is answered
 * with ERROR(PROTOCOL_ERROR) and the connection closes; so does a failed login (after
 * {@code mpft.auth-failure-delay}). A refused OPEN (no such file, access denied ...) is answered with
 * ERROR and the session waits for another OPEN. Host calls and chunk reads run on the I/O pool; every
 * state change happens on the connection's event loop.
 *
 * <p>Multi-path: on a primary with secondaries, OPEN registers the transfer with every secondary that is
 * up (a ticket each) before META lists them; START builds the {@link ChunkCoordinator} over the primary's
 * own {@link ChunkSender} and one {@link SecondaryPath} per secondary, and {@link DigestAhead} sends the
 * primary's chunk digests so the client can check the secondaries' chunks. On a secondary, a client sends
 * ATTACH (its ticket) instead of logging in, and then only receives the chunks the primary assigns here.
 */
final class Session extends SimpleChannelInboundHandler<Frame> {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Bytes of the login challenge. */
    static final int CHALLENGE_BYTES = 32;

    /** How long the server waits for the client to close after a fatal ERROR before closing itself. */
    static final long CLOSE_GRACE_MS = 2000;

    private enum State { HELLO, AUTH, AUTHENTICATING, OPEN, OPENING, START, SENDING, ATTACHED, CLOSED }

    /** How long the primary waits for the client to attach to a secondary before dropping it. */
    static final long ATTACH_TIMEOUT_MS = 10_000;

    /** How often the primary looks for secondaries' chunks that timed out, milliseconds. */
    static final long TIMEOUT_CHECK_MS = 250;

    private final QuicChannel connection;
    private final SessionServices services;
    private final boolean overLimit;
    private final SessionAuthenticator authenticator;
    private final FileOpener opener;
    private final ChunkReader reader;
    private QuicStreamChannel control;
    private State state = State.HELLO;
    /** True once the conversation is over (ended, failed or closed): the session no longer counts against limits. */
    private volatile boolean ended;
    private Bytes challenge;
    private Principal user;
    private Transfer transfer;
    private ChunkCoordinator coordinator;
    private ChunkSender sender;
    private long clientFeatures;
    private boolean compress;
    private boolean counted;
    private Strategy strategy;
    private List<PrimaryCluster.Registration> registrations = List.of();
    private List<SecondaryPath> secondaryPaths = List.of();
    private final Set<ClusterLink> attachedEarly = new HashSet<>();
    private DigestAhead digests;
    private SecondaryRole.Serving serving;
    private SessionLimits.UserSession userSession;
    private int opens;

    Session(QuicChannel connection, SessionServices services, boolean overLimit) {
        super(Frame.class);
        this.connection = connection;
        this.services = services;
        this.overLimit = overLimit;
        this.authenticator = new SessionAuthenticator(services.host().authenticator(), services.certificateSha256());
        this.opener = new FileOpener(services.host().fileAccess(), services.settings().maxFileSize(),
                services.settings().chunkSize());
        this.reader = new ChunkReader(ChunkBuffers.ALLOCATOR, services.limiter(), services.chunks(), false);
    }

    /**
     * Takes a client-opened stream as the control stream when it is the connection's first bidirectional
     * one. Called on the event loop.
     *
     * @return false when the stream is not wanted (the caller closes it)
     */
    boolean acceptControlStream(QuicStreamChannel stream) {
        if (control != null || stream.type() != QuicStreamType.BIDIRECTIONAL || state == State.CLOSED) {
            return false;
        }
        control = stream;
        stream.updatePriority(StreamPriorities.CONTROL);
        stream.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL), this);
        return true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        try {
            handle(frame);
        } catch (MpftException e) {
            fail(e.code(), e.getMessage());
        }
    }

    private void handle(Frame frame) throws MpftException {
        switch (state) {
            case HELLO -> onHello(expect(frame, Hello.class));
            case AUTH -> onAuth(frame);
            case OPEN -> onOpen(expect(frame, Open.class));
            case START -> onStart(expect(frame, Start.class));
            case SENDING -> onTransferFrame(frame);
            case ATTACHED -> onAttachedFrame(frame);
            case CLOSED -> { }
            default -> throw unexpected(frame);
        }
    }

    private void onHello(Hello hello) throws MpftException {
        if (overLimit) {
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, services.settings().name()
                    + " serves " + services.settings().maxSessions() + " sessions at most; try again later");
        }
        if (hello.version() < 1) {
            throw new MpftException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + hello.version()
                    + " is not supported (this server speaks " + FrameCodec.PROTOCOL_VERSION + ")");
        }
        byte[] random = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(random);
        challenge = Bytes.of(random);
        state = State.AUTH;
        clientFeatures = hello.features() & (Features.MULTI_PATH
                | (services.chunks().compressionEnabled() ? Features.COMPRESSION : 0L));
        write(new ServerHello(Math.min(hello.version(), FrameCodec.PROTOCOL_VERSION), clientFeatures, challenge,
                services.settings().name()));
        LOG.debug("session from {}: {}", connection.remoteSocketAddress(), hello.agent());
    }

    private void onAuth(Frame frame) throws MpftException {
        if (frame instanceof Attach attach && services.secondary() != null) {
            onAttach(attach);
            return;
        }
        if (!(frame instanceof AuthPassword) && !(frame instanceof AuthPublicKey)) {
            throw unexpected(frame);
        }
        state = State.AUTHENTICATING;
        String name = frame instanceof AuthPassword p ? p.user() : ((AuthPublicKey) frame).user();
        SessionLimits limits = services.settings().limits();
        java.net.InetAddress source = SessionLimits.address(connection.remoteSocketAddress());
        long lockedMs = limits.throttle().waitFor(name, source).toMillis();
        if (lockedMs > 0) {
            // refused without asking the host: guessing goes no faster than the back-off
            LOG.warn("login of '{}' from {} refused: too many failed logins of this user or address ({} ms left)",
                    SessionLimits.printable(name), connection.remoteSocketAddress(), lockedMs);
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "authentication failed for user " + name + " on "
                    + services.settings().name() + ": too many failed logins, try again in "
                    + ((lockedMs + 999) / 1000) + " s");
        }
        blocking(() -> {
            try {
                Principal principal = frame instanceof AuthPassword p
                        ? authenticator.password(p)
                        : authenticator.publicKey((AuthPublicKey) frame, challenge);
                onLoop(() -> loggedIn(principal));
            } catch (AuthenticationFailed | RuntimeException e) {
                limits.throttle().failed(name, source);
                LOG.warn("login of '{}' from {} refused: {}", SessionLimits.printable(name),
                        connection.remoteSocketAddress(), SessionLimits.printable(String.valueOf(e.getMessage())));
                connection.eventLoop().schedule(() -> fail(ErrorCode.AUTHENTICATION_FAILED,
                                "authentication failed for user " + name + " on " + services.settings().name()),
                        services.settings().authFailureDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void loggedIn(Principal principal) {
        if (state != State.AUTHENTICATING) {
            return;
        }
        SessionLimits limits = services.settings().limits();
        SessionLimits.UserSession entered = limits.enter(principal.name());
        if (entered == null) {
            LOG.warn("login of '{}' from {} refused: {} sessions already", principal.name(),
                    connection.remoteSocketAddress(), limits.maxSessionsPerUser());
            fail(ErrorCode.LIMIT_EXCEEDED, "user " + principal.name() + " already has " + limits.maxSessionsPerUser()
                    + " sessions on " + services.settings().name() + " (" + MpftSettings.MAX_SESSIONS_PER_USER
                    + "); try again when one ends");
            return;
        }
        limits.throttle().succeeded(principal.name());
        userSession = entered;
        user = principal;
        state = State.OPEN;
        write(new AuthOk(principal.name()));
    }

    private void onOpen(Open open) throws MpftException {
        if (++opens > services.settings().maxTransfersPerSession()) {
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, services.settings().name() + " allows "
                    + services.settings().maxTransfersPerSession() + " transfers per session ("
                    + MpftSettings.MAX_TRANSFERS_PER_SESSION + "); connect again");
        }
        state = State.OPENING;
        blocking(() -> {
            ReadableFile file;
            try {
                file = opener.open(user, open.path());
            } catch (MpftException e) {
                onLoop(() -> openRefused(open.path(), e));
                return;
            }
            if (!onLoop(() -> opened(open, file))) {
                FileOpener.closeQuietly(file);
            }
        });
    }

    private void openRefused(String path, MpftException e) {
        if (state != State.OPENING) {
            return;
        }
        LOG.info("{} may not download {}: {}", user.name(), path, e.getMessage());
        state = State.OPEN;
        write(ErrorFrame.of(e.code(), e.getMessage()));
    }

    private void opened(Open open, ReadableFile file) {
        if (state != State.OPENING) {
            FileOpener.closeQuietly(file);
            return;
        }
        MpftSettings settings = services.settings();
        int paths = 1 + (services.cluster() != null && Features.has(clientFeatures, Features.MULTI_PATH)
                ? settings.secondaries().size() : 0);
        ChunkPlan plan = new ChunkPlan(file.size(), settings.chunkSizeFixed() ? settings.chunkSize()
                : services.chunks().chunkSize(user.name(), open.path(), file.size(), file.lastModifiedMillis(),
                        () -> new ChunkSizePolicy(settings.chunkSizeMin(), settings.chunkSizeMax(),
                                settings.chunkSize()).choose(file.size(), paths,
                                services.chunks().metrics().recentPathSpeed())));
        compress = Features.has(open.flags(), Features.COMPRESSION) && Features.has(clientFeatures, Features.COMPRESSION);
        strategy = open.strategy() == Strategy.SERVER_DEFAULT ? settings.strategy() : open.strategy();
        transfer = new Transfer(services.transferIds().incrementAndGet(), user, open.path(), file, plan,
                settings.checksum(), System.nanoTime());
        attachedEarly.clear();
        PrimaryCluster cluster = services.cluster();
        if (cluster == null || !Features.has(clientFeatures, Features.MULTI_PATH) || plan.chunkCount() < 2) {
            sendMeta(List.of());
            return;
        }
        long id = transfer.id();
        cluster.register(id, user.name(), open.path(), file.size(), file.lastModifiedMillis(), plan.chunkSize(),
                settings.checksum(), compress ? services.chunks().compression() : Encoding.RAW,
                link -> new SecondaryEvents(id, link))
                .thenAccept(ok -> {
                    if (!onLoop(() -> registeredWithSecondaries(id, ok))) {
                        ok.forEach(r -> endOnSecondary(r, id));
                    }
                });
    }

    private void registeredWithSecondaries(long id, List<PrimaryCluster.Registration> ok) {
        if (state != State.OPENING || transfer == null || transfer.id() != id) {
            ok.forEach(r -> endOnSecondary(r, id));
            return;
        }
        sendMeta(ok);
    }

    private void sendMeta(List<PrimaryCluster.Registration> secondaries) {
        registrations = List.copyOf(secondaries);
        List<SecondaryEndpoint> endpoints = new ArrayList<>();
        for (PrimaryCluster.Registration r : registrations) {
            endpoints.add(new SecondaryEndpoint(r.slotName(), r.endpoint().host(), r.endpoint().port(),
                    r.endpoint().certificateSha256(), r.ticket()));
        }
        state = State.START;
        ReadableFile file = transfer.file();
        write(new Meta(transfer.id(), file.size(), file.lastModifiedMillis(), transfer.plan().chunkSize(),
                transfer.checksum(), strategy, (endpoints.isEmpty() ? 0L : Features.MULTI_PATH)
                        | (compress ? Features.COMPRESSION : 0L), endpoints));
        if (!registrations.isEmpty()) {
            LOG.info("transfer {}: {} secondaries serve too: {}", transfer.id(), registrations.size(),
                    registrations.stream().map(PrimaryCluster.Registration::slotName).toList());
        }
    }

    private void onStart(Start start) throws MpftException {
        checkTransfer(start.transferId());
        MpftSettings settings = services.settings();
        ChunkPlan plan = transfer.plan();
        coordinator = new ChunkCoordinator(plan, ChunkStrategy.of(strategy, settings.window(), plan.chunkSize()),
                settings.chunkRetries(), System::nanoTime);
        int chunkCount = coordinator.chunkCount();
        BitSet held = BitSet.valueOf(start.have().toByteArray());
        if (held.length() > chunkCount) {
            throw new ProtocolException("START holds chunk " + (held.length() - 1) + " of a file with " + chunkCount
                    + " chunks");
        }
        state = State.SENDING;
        LOG.info("transfer {}: {} downloads {} ({} bytes, {} chunks of {}, {} already held) from {}", transfer.id(),
                user.name(), transfer.path(), transfer.plan().fileSize(), chunkCount, transfer.plan().chunkSize(),
                held.cardinality(), connection.remoteSocketAddress());
        services.chunks().metrics().transferStarted();
        services.chunks().track(transfer.id());
        counted = true;
        sender = new ChunkSender("primary", transfer, coordinator, reader.compressing(compress),
                new QuicChunkOutlet(connection),
                services.io(), connection.eventLoop(), services.settings().window(), this::chunkFailed,
                services.prefetch().forPath(reader.compressing(compress), transfer));
        coordinator.addPath(sender);
        List<SecondaryPath> paths = new ArrayList<>();
        long id = transfer.id();
        for (PrimaryCluster.Registration r : registrations) {
            SecondaryPath[] self = new SecondaryPath[1];
            self[0] = new SecondaryPath(r, id, plan, () -> coordinator,
                    () -> onLoop(() -> dropSecondary(id, self[0], ErrorCode.SERVER_UNAVAILABLE, "its link is down")));
            coordinator.addPath(self[0], true);
            paths.add(self[0]);
        }
        secondaryPaths = List.copyOf(paths);
        coordinator.start(held);
        if (secondaryPaths.isEmpty()) {
            return;
        }
        for (SecondaryPath path : secondaryPaths) {
            if (attachedEarly.contains(path.registration().link())) {
                path.attached();
            }
        }
        digests = new DigestAhead(id, user.name(), transfer.path(), transfer.file(), plan, transfer.checksum(),
                services.digestStore());
        DigestAhead mine = digests;
        mine.start(services.digests(), (frame, frontier) -> onLoop(() -> {
            if (digests == mine && coordinator != null) {
                write(frame);
                coordinator.digestsUpTo(frontier);
            }
        }), e -> onLoop(() -> {
            if (digests == mine) {
                LOG.warn("transfer {}: cannot compute the digests of {} ({}); the secondaries stop serving it", id,
                        transfer.path(), e.toString());
                for (SecondaryPath path : secondaryPaths) {
                    dropSecondary(id, path, ErrorCode.INTERNAL_ERROR, "no digests");
                }
            }
        }));
        connection.eventLoop().schedule(() -> {
            for (SecondaryPath path : secondaryPaths) {
                if (!path.isAttached()) {
                    dropSecondary(id, path, ErrorCode.SERVER_UNAVAILABLE, "the client did not attach within "
                            + ATTACH_TIMEOUT_MS / 1000 + " s");
                }
            }
        }, ATTACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        watchChunkTimeouts(id);
    }

    /**
     * Every {@value #TIMEOUT_CHECK_MS} ms while the transfer runs: a secondary's chunk that timed out is sent
     * again (then moved), and a secondary that stalled is dropped (its chunks move to the paths left).
     */
    private void watchChunkTimeouts(long id) {
        connection.eventLoop().schedule(() -> {
            if (transfer == null || transfer.id() != id || coordinator == null || state != State.SENDING) {
                return;
            }
            for (ChunkCoordinator.TimedOut t : coordinator.overdue(services.settings().chunkTimeouts())) {
                if (!(t.path() instanceof SecondaryPath path) || coordinator == null) {
                    continue;
                }
                if (t.stalled()) {
                    dropSecondary(id, path, ErrorCode.CHUNK_TIMEOUT, "it delivered no chunk of " + transfer.path()
                            + " for twice its chunk timeout (" + t.timeoutMillis() + " ms, chunk " + t.chunk() + ")");
                    continue;
                }
                LOG.info("transfer {}: chunk {} of {} from secondary {} timed out after {} ms; sending it again",
                        id, t.chunk(), transfer.path(), path.name(), t.timeoutMillis());
                try {
                    path.fail(t.chunk(), ErrorCode.CHUNK_TIMEOUT);
                } catch (MpftException e) {
                    fail(e.code(), e.getMessage());
                    return;
                }
            }
            watchChunkTimeouts(id);
        }, TIMEOUT_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Events of one secondary for one transfer, from its cluster link; each is handled on this session's loop. */
    private final class SecondaryEvents implements ClusterLink.TransferListener {
        private final long id;
        private final ClusterLink link;

        SecondaryEvents(long id, ClusterLink link) {
            this.id = id;
            this.link = link;
        }

        @Override
        public void attached() {
            onLoop(() -> {
                if (transfer == null || transfer.id() != id) {
                    return;
                }
                SecondaryPath path = pathOf(link);
                if (path == null) {
                    attachedEarly.add(link);
                } else {
                    path.attached();
                }
            });
        }

        @Override
        public void chunkSent(ChunkSent sent) {
            onLoop(() -> secondarySent(id, link, sent));
        }

        @Override
        public void chunkError(ChunkError error) {
            onLoop(() -> secondaryFailed(id, link, error));
        }

        @Override
        public void linkDown() {
            onLoop(() -> {
                SecondaryPath path = pathOf(link);
                if (path != null) {
                    dropSecondary(id, path, ErrorCode.SERVER_UNAVAILABLE, "its cluster link went down");
                }
            });
        }
    }

    private SecondaryPath pathOf(ClusterLink link) {
        for (SecondaryPath path : secondaryPaths) {
            if (path.registration().link() == link) {
                return path;
            }
        }
        return null;
    }

    /** The primary's content check: the secondary's checksum of what it read must equal the primary's digest. */
    private void secondarySent(long id, ClusterLink link, ChunkSent sent) {
        SecondaryPath path = pathOf(link);
        if (transfer == null || transfer.id() != id || path == null || digests == null) {
            return;
        }
        if (digests.digest(sent.chunk()) != null && !digests.matches(sent.chunk(), sent.checksum())) {
            LOG.warn("transfer {}: secondary {} read chunk {} of {} with checksum {}, the primary's is {}: its copy "
                    + "is stale; its chunks go to the other paths", id, path.name(), sent.chunk(), transfer.path(),
                    sent.checksum().hex(), Bytes.of(digests.digest(sent.chunk())).hex());
            dropSecondary(id, path, ErrorCode.STALE_FILE, "its copy of the file differs (chunk " + sent.chunk() + ")");
        }
    }

    private void secondaryFailed(long id, ClusterLink link, ChunkError error) {
        SecondaryPath path = pathOf(link);
        if (transfer == null || transfer.id() != id || path == null || coordinator == null) {
            return;
        }
        LOG.info("transfer {}: secondary {} could not send chunk {}: {} {}", id, path.name(), error.chunk(),
                error.code(), error.message());
        try {
            path.fail(error.chunk(), error.code());
        } catch (MpftException e) {
            fail(e.code(), e.getMessage());
        }
    }

    private void dropSecondary(long id, SecondaryPath path, ErrorCode code, String why) {
        if (transfer == null || transfer.id() != id || coordinator == null || !coordinator.alive(path)) {
            return;
        }
        LOG.info("transfer {}: secondary {} dropped from the transfer ({}: {})", id, path.name(), code, why);
        endOnSecondary(path.registration(), id);
        try {
            coordinator.dropPath(path, code);
        } catch (MpftException e) {
            fail(e.code(), e.getMessage());
        }
    }

    private static void endOnSecondary(PrimaryCluster.Registration registration, long id) {
        registration.link().send(new EndTransfer(id));
        registration.link().forget(id);
    }

    // ---- secondary role: a client attached with a ticket ----

    private void onAttach(Attach attach) {
        state = State.AUTHENTICATING;
        SecondaryRole role = services.secondary();
        blocking(() -> {
            try {
                SecondaryRole.Serving s = role.attach(attach.ticket(), connection, new QuicChunkOutlet(connection));
                if (!onLoop(() -> attachedHere(s))) {
                    role.detach(s);
                }
            } catch (MpftException e) {
                LOG.info("attach from {} refused: {}", connection.remoteSocketAddress(), e.getMessage());
                connection.eventLoop().schedule(() -> fail(e.code(), e.getMessage()),
                        services.settings().authFailureDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void attachedHere(SecondaryRole.Serving s) {
        if (state != State.AUTHENTICATING) {
            services.secondary().detach(s);
            return;
        }
        serving = s;
        state = State.ATTACHED;
        write(new Attached(s.registered().transferId()));
    }

    private void onAttachedFrame(Frame frame) throws MpftException {
        if (frame instanceof Nack nack && nack.transferId() == serving.registered().transferId()) {
            services.secondary().resend(serving, nack.chunk());
        } else if (frame instanceof Cancel) {
            connection.close();
        } else if (frame instanceof Ack || frame instanceof Nack || frame instanceof Start || frame instanceof Open) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "a client attached to " + services.settings().name()
                    + " only receives the chunks its primary assigns (got " + frame.type() + ")");
        } else {
            throw unexpected(frame);
        }
    }

    private void onTransferFrame(Frame frame) throws MpftException {
        if (frame instanceof Ack ack) {
            checkTransfer(ack.transferId());
            checkChunk(ack.chunk());
            coordinator.acked(ack.chunk());
        } else if (frame instanceof Nack nack) {
            checkTransfer(nack.transferId());
            checkChunk(nack.chunk());
            LOG.info("transfer {}: client rejected chunk {} of {} ({}), sending it again", transfer.id(),
                    nack.chunk(), transfer.path(), nack.reason());
            coordinator.nacked(nack.chunk(), nack.reason());
        } else if (frame instanceof Done done) {
            checkTransfer(done.transferId());
            if (!coordinator.isComplete()) {
                throw new ProtocolException("DONE before every chunk was acknowledged (" + coordinator.settledCount()
                        + " of " + coordinator.chunkCount() + ")");
            }
            long nanos = Math.max(1, System.nanoTime() - transfer.startNanos());
            LOG.info("transfer {}: {} done, {} bytes sent in {} ms ({} MB/s), client sha256 {}", transfer.id(),
                    transfer.path(), sender.bytesSent(), nanos / 1_000_000,
                    String.format(Locale.ROOT, "%.1f", sender.bytesSent() * 1e3 / nanos), done.sha256().hex());
            for (SecondaryPath path : secondaryPaths) {
                LOG.info("transfer {}: secondary {} was assigned {} chunks", transfer.id(), path.name(),
                        path.chunksAssigned());
            }
            transferEnded("done", true);
            endTransfer();
            state = State.OPEN;
        } else if (frame instanceof Cancel cancel) {
            checkTransfer(cancel.transferId());
            LOG.info("transfer {}: {} cancelled by the client after {} of {} chunks", transfer.id(), transfer.path(),
                    coordinator.settledCount(), coordinator.chunkCount());
            endTransfer();
            state = State.OPEN;
        } else {
            throw unexpected(frame);
        }
    }

    private void chunkFailed(int chunk, Exception cause) {
        if (transfer == null) {
            return;
        }
        LOG.warn("transfer {}: cannot send chunk {} of {}: {}", transfer.id(), chunk, transfer.path(),
                cause.toString());
        fail(ErrorCode.INTERNAL_ERROR, "the server cannot read chunk " + chunk + " of " + transfer.path() + ": "
                + cause.getMessage());
    }

    private void checkTransfer(long transferId) throws ProtocolException {
        if (transfer == null || transferId != transfer.id()) {
            throw new ProtocolException("unknown transfer " + transferId);
        }
    }

    private void checkChunk(int chunk) throws ProtocolException {
        if (chunk < 0 || chunk >= coordinator.chunkCount()) {
            throw new ProtocolException("chunk " + chunk + " out of range [0, " + coordinator.chunkCount() + ")");
        }
    }

    private <T extends Frame> T expect(Frame frame, Class<T> type) throws ProtocolException {
        if (!type.isInstance(frame)) {
            throw unexpected(frame);
        }
        return type.cast(frame);
    }

    private ProtocolException unexpected(Frame frame) {
        return new ProtocolException("unexpected " + frame.type() + " frame in state " + state);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException protocol = FrameStreamCodec.protocolError(cause);
        if (protocol != null) {
            fail(ErrorCode.PROTOCOL_ERROR, protocol.getMessage());
        } else {
            LOG.debug("control stream of {} failed", connection.remoteSocketAddress(), cause);
            connection.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownReadComplete) {
            connectionClosed(); // the client finished the conversation: free its slots now, not after QUIC's drain
            connection.close();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.close();
        ctx.fireChannelInactive();
    }

    /** True once the conversation is over; such a session no longer counts against the session limits. */
    boolean ended() {
        return ended;
    }

    /** Frees the session's places under the total and per-user session limits. Idempotent; event loop. */
    private void releaseSlots() {
        ended = true;
        if (userSession != null) {
            userSession.close();
            userSession = null;
        }
    }

    /** The connection closed: stop the transfer and release everything. Idempotent; any thread. */
    void connectionClosed() {
        if (!connection.eventLoop().inEventLoop()) {
            onLoop(this::connectionClosed);
            return;
        }
        if (state != State.CLOSED && transfer != null) {
            LOG.info("transfer {}: {} ended with the connection after {} of {} chunks", transfer.id(),
                    transfer.path(), coordinator.settledCount(), coordinator.chunkCount());
        }
        state = State.CLOSED;
        endTransfer();
        releaseSlots();
        if (serving != null) {
            services.secondary().detach(serving);
            serving = null;
        }
    }

    /** Answers with ERROR and closes the session (the client closes first, or the server after a grace). */
    private void fail(ErrorCode code, String message) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        endTransfer();
        releaseSlots(); // a refused or failed session stops counting at once, during the close grace too
        if (control == null || !control.isActive()) {
            connection.close();
            return;
        }
        control.writeAndFlush(ErrorFrame.of(code, message)).addListener(f -> control.shutdownOutput());
        connection.eventLoop().schedule(() -> {
            connection.close();
        }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /** The admin's transfer line and the counters, once per started transfer ({@code ok}: ended with DONE). */
    private void transferEnded(String outcome, boolean ok) {
        if (!counted || transfer == null || coordinator == null) {
            return;
        }
        counted = false;
        java.util.Map<String, Long> bytes = new java.util.LinkedHashMap<>();
        if (sender != null) {
            bytes.put(sender.name(), coordinator.delivered(sender)[1]);
        }
        for (SecondaryPath path : secondaryPaths) {
            bytes.put(path.name(), coordinator.delivered(path)[1]);
        }
        long nanos = System.nanoTime() - transfer.startNanos();
        services.chunks().metrics().transferEnded(ok, bytes, nanos, coordinator.retries());
        TransferLog.finished(outcome, transfer.id(), user.name(), transfer.path(), transfer.plan().fileSize(), bytes,
                nanos, coordinator.retries(), services.chunks().finish(transfer.id()));
        TransferLog.network(transfer.id(), connection);
    }

    private void endTransfer() {
        transferEnded(state == State.CLOSED ? "ended" : "cancelled", false);
        if (sender != null) {
            sender.stop();
            sender = null;
        }
        if (digests != null) {
            digests.stop();
            digests = null;
        }
        if (transfer != null) {
            for (PrimaryCluster.Registration r : registrations) {
                endOnSecondary(r, transfer.id());
            }
        }
        registrations = List.of();
        secondaryPaths = List.of();
        attachedEarly.clear();
        if (transfer != null) {
            transfer.close();
            transfer = null;
        }
        coordinator = null;
    }

    private void write(Frame frame) {
        if (control != null) {
            control.writeAndFlush(frame);
        }
    }

    private void blocking(Runnable task) {
        try {
            services.io().execute(task);
        } catch (RejectedExecutionException e) {
            connection.close();
        }
    }

    private boolean onLoop(Runnable task) {
        try {
            connection.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
