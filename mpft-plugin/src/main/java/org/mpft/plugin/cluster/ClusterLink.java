package org.mpft.plugin.cluster;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChunkError;
import org.mpft.protocol.ChunkSent;
import org.mpft.protocol.ClusterChallenge;
import org.mpft.protocol.ClusterWelcome;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.LinkPing;
import org.mpft.protocol.LinkPong;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RegisterTransfer;
import org.mpft.transport.FrameStreamCodec;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary's link to one secondary ({@code mpft.secondaries} entry): a QUIC connection with one
 * bidirectional stream of cluster frames. It connects, proves the cluster secret both ways
 * ({@link ClusterHandshake}), learns the secondary's client-facing address and certificate from
 * CLUSTER_WELCOME, and then carries REGISTER_TRANSFER / SEND_CHUNK / END_TRANSFER out and the answers in
 * ({@link LinkTransfers}). Liveness: right after CLUSTER_WELCOME the primary sends LINK_PING and counts the link
 * as up when LINK_PONG answers; from then on {@link LinkLiveness} pings every quarter of the link timeout
 * ({@code mpft.cluster.link-timeout}, the idle timeout of the transport settings given) and takes the link down
 * when the secondary sent nothing for that long, so a secondary that stops answering (dead, frozen, cut off) is
 * noticed within about 1.25 times the timeout, and the connection's QUIC idle timeout (twice the link timeout)
 * is only a backstop. A secondary that predates LINK_PING answers the probe with ERROR(PROTOCOL_ERROR): the
 * primary then reconnects without pinging, with the link timeout as the QUIC idle timeout and a keep-alive
 * every quarter of it (QUIC alone notices a silent secondary, after at least three probe timeouts), until that
 * link goes down once it was up (the secondary may come back upgraded). When the link fails or the secondary is
 * down it reconnects with a growing back-off (1 s doubling to 30 s). Thread-safe; frames are handled on the
 * transport's event loop.
 *
 * <p>The TLS certificate is not pinned by configuration: the handshake authenticates the peer, and the
 * certificate the secondary names in its welcome must be the one it presented on this link (the one
 * clients will be told to pin).
 */
public final class ClusterLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);

    /** The first reconnect delay; it doubles per failure up to {@link #MAX_BACKOFF}. */
    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    /** The longest reconnect delay. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** The sequence of the LINK_PING that probes a new link (the liveness check's pings count from 0 too). */
    static final long PROBE_SEQUENCE = 0;

    /** How long a handshake may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What a transfer hears from the secondary. Called on the link's event loop. */
    public interface TransferListener {
        /** The client attached to the secondary (CLIENT_ATTACHED). */
        void attached();

        /** The secondary sent a chunk (CHUNK_SENT). */
        void chunkSent(ChunkSent sent);

        /** The secondary could not send a chunk (CHUNK_ERROR). */
        void chunkError(ChunkError error);

        /** The link went down: nothing more will come for this transfer. */
        void linkDown();
    }

    /**
     * The secondary as clients reach it.
     *
     * @param name              its instance name
     * @param host              its advertised address
     * @param port              its advertised UDP port
     * @param certificateSha256 its certificate's SHA-256
     */
    public record Endpoint(String name, String host, int port, Bytes certificateSha256) {
    }

    private final String target;
    private final InetSocketAddress remote;
    private final ClusterSecret secret;
    private final String node;
    private final QuicTransport transport;
    private final TransportSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final LinkTransfers transfers;
    private volatile Endpoint endpoint;
    private volatile QuicStreamChannel stream;
    private volatile Channel datagram;
    private volatile boolean closed;
    private volatile String lastProblem;
    /** The secondary answered the LINK_PING probe with PROTOCOL_ERROR: connect without pinging. */
    private volatile boolean legacyPeer;
    /** The datagram channel of the last attempt whose end was handled (a link goes down once). */
    private Channel ended;
    private long backoffMillis = MIN_BACKOFF.toMillis();

    /**
     * @param target    the entry of {@code mpft.secondaries}, {@code host:port}, for logs
     * @param remote    the secondary's address as this primary reaches it
     * @param secret    the cluster secret
     * @param node      this primary's name
     * @param transport the transport to connect with (its event loop runs the link)
     * @param settings  the transport parameters
     */
    public ClusterLink(String target, InetSocketAddress remote, ClusterSecret secret, String node, QuicTransport transport,
                TransportSettings settings) {
        this.target = Objects.requireNonNull(target, "target");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.node = Objects.requireNonNull(node, "node");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transfers = new LinkTransfers(target);
    }

    /** Starts connecting (in the background); returns at once. */
    public void start() {
        connect();
    }

    /** The entry of {@code mpft.secondaries} this link is for. */
    public String target() {
        return target;
    }

    /** The secondary as clients reach it, while the link is up; null otherwise. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** True when the handshake succeeded and the link is open. */
    public boolean isUp() {
        QuicStreamChannel s = stream;
        return endpoint != null && s != null && s.isActive();
    }

    /** Why the last attempt failed, or null. */
    public String lastProblem() {
        return lastProblem;
    }

    /**
     * Registers a transfer on the secondary.
     *
     * @param timeout how long the secondary has to answer
     * @return completes when the secondary registered it, or exceptionally with an {@link MpftException}
     *         (the secondary's refusal, SERVER_UNAVAILABLE when the link is down or it does not answer in time)
     */
    public CompletableFuture<Void> register(RegisterTransfer registration, TransferListener listener,
                                            Duration timeout) {
        QuicStreamChannel s = stream;
        if (!isUp() || s == null) {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            answer.completeExceptionally(new MpftException(ErrorCode.SERVER_UNAVAILABLE, "secondary " + target
                    + " is not connected" + (lastProblem == null ? "" : " (" + lastProblem + ")")));
            return answer;
        }
        long id = registration.transferId();
        CompletableFuture<Void> expected = transfers.expect(id, listener);
        s.writeAndFlush(registration);
        long millis = timeout.toMillis();
        s.eventLoop().schedule(() -> transfers.overdue(id, millis), millis, TimeUnit.MILLISECONDS);
        return expected;
    }

    /** Sends a frame on the link (SEND_CHUNK, END_TRANSFER); false when the link is down. */
    public boolean send(Frame frame) {
        QuicStreamChannel s = stream;
        if (s == null || !s.isActive()) {
            return false;
        }
        s.writeAndFlush(frame);
        return true;
    }

    /** Stops listening for a transfer's events. */
    public void forget(long transferId) {
        transfers.forget(transferId);
    }

    @Override
    public void close() {
        closed = true;
        Channel d = datagram;
        if (d != null) {
            d.close();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        PresentedCertificate seen = new PresentedCertificate();
        boolean ping = !legacyPeer;
        // with pings the liveness check notices a silent secondary; QUIC's idle timeout only backs it up
        TransportSettings attempt = ping ? settings.withIdleTimeout(settings.idleTimeout().multipliedBy(2)) : settings;
        ChannelFuture bound = transport.bindClient(null, QuicTls.clientContext(seen::presented), attempt);
        bound.addListener(b -> {
            if (!b.isSuccess()) {
                retry("cannot open a UDP socket: " + b.cause());
                return;
            }
            Channel d = bound.channel();
            datagram = d;
            if (closed) {
                d.close();
                return;
            }
            Future<QuicChannel> connected = transport.connect(d, remote, attempt, new ChannelInboundHandlerAdapter(),
                    new ChannelInboundHandlerAdapter());
            // nothing answers a QUIC handshake to a host that is down: give up after TIMEOUT, not the idle timeout
            d.eventLoop().schedule(() -> {
                if (!connected.isDone()) {
                    connected.cancel(false);
                }
            }, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            connected.addListener(c -> {
                if (!c.isSuccess()) {
                    d.close();
                    retry(c.isCancelled() ? "no answer within " + TIMEOUT.toSeconds() + " s"
                            : "cannot connect: " + c.cause());
                    return;
                }
                QuicChannel connection = connected.getNow();
                connection.closeFuture().addListener(x -> linkClosed(d));
                Bytes certificate = seen.sha256();
                if (certificate == null || certificate.length() != ClusterHandshake.CERTIFICATE_HASH_BYTES) {
                    lastProblem = "the secondary presented no certificate";
                    connection.close();
                    return;
                }
                // the proofs are bound to the certificate the secondary presented on this very connection
                ClusterHandshake.PrimarySide handshake = new ClusterHandshake.PrimarySide(secret, node, random,
                        certificate);
                connection.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CLUSTER),
                                new Handler(handshake, certificate, connection, d, ping));
                    }
                }).addListener(o -> {
                    if (!o.isSuccess()) {
                        connection.close();
                        return;
                    }
                    QuicStreamChannel s = (QuicStreamChannel) o.getNow();
                    s.writeAndFlush(handshake.hello());
                    s.eventLoop().schedule(() -> {
                        if (endpoint == null && s.isActive()) {
                            lastProblem = "no cluster welcome within " + TIMEOUT.toSeconds() + " s";
                            connection.close();
                        }
                    }, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                });
            });
        });
    }

    /** The attempt on datagram channel {@code d} ended (its connection closed, or the secondary fell silent). */
    private void linkClosed(Channel d) {
        synchronized (this) {
            if (ended == d) {
                return;
            }
            ended = d;
        }
        boolean wasUp = endpoint != null;
        endpoint = null;
        stream = null;
        d.close();
        transfers.linkClosed();
        if (wasUp) {
            LOG.warn("cluster link to secondary {} is down ({}); reconnecting", target,
                    LogText.quote(lastProblem == null ? "the connection closed" : lastProblem));
            backoffMillis = MIN_BACKOFF.toMillis();
            legacyPeer = false;
        }
        retry(lastProblem == null ? "link closed" : lastProblem);
    }

    private void retry(String problem) {
        if (closed) {
            return;
        }
        lastProblem = problem;
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
        LOG.debug("cluster link to {}: {}; next attempt in {} ms", target, LogText.quote(problem), delay);
        EventLoop loop = transport.group().next();
        try {
            loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the transport is shutting down
        }
    }

    /** The link stream's frames. */
    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        private final ClusterHandshake.PrimarySide handshake;
        private final Bytes seenCertificate;
        private final QuicChannel connection;
        private final Channel datagram;
        private final boolean ping;
        private boolean proofSent;
        /** The welcome of a secondary whose answer to the LINK_PING probe is awaited. */
        private ClusterWelcome probing;
        private LinkLiveness liveness;

        Handler(ClusterHandshake.PrimarySide handshake, Bytes seenCertificate, QuicChannel connection,
                Channel datagram, boolean ping) {
            super(Frame.class);
            this.handshake = handshake;
            this.seenCertificate = seenCertificate;
            this.connection = connection;
            this.datagram = datagram;
            this.ping = ping;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (liveness != null) {
                liveness.heard();
            }
            try {
                handle(ctx, frame);
            } catch (MpftException e) {
                lastProblem = e.getMessage();
                LOG.warn("cluster link to secondary {} refused: {}", target, LogText.quote(e.getMessage()));
                ctx.writeAndFlush(ErrorFrame.of(e.code(), e.getMessage())).addListener(f -> connection.close());
            }
        }

        private void handle(ChannelHandlerContext ctx, Frame frame) throws MpftException {
            if (frame instanceof ErrorFrame error) {
                if (probing != null && error.code() == ErrorCode.PROTOCOL_ERROR) {
                    // only a secondary that predates LINK_PING refuses it: link with it as it expects
                    legacyPeer = true;
                    lastProblem = "the secondary does not know LINK_PING";
                    LOG.info("cluster link to secondary {}: the secondary does not know LINK_PING ({}); reconnecting"
                            + " without the liveness check", target, LogText.quote(error.message()));
                    connection.close();
                    return;
                }
                lastProblem = "secondary said " + error.code() + ": " + error.message();
                LOG.warn("cluster link to secondary {} refused by the secondary: {} {}", target, error.code(),
                        LogText.quote(error.message()));
                connection.close();
                return;
            }
            if (endpoint == null) {
                if (frame instanceof ClusterChallenge challenge && !proofSent) {
                    ctx.writeAndFlush(handshake.onChallenge(challenge));
                    proofSent = true;
                    return;
                }
                if (frame instanceof ClusterWelcome welcome && proofSent && probing == null) {
                    if (seenCertificate == null || !seenCertificate.equals(welcome.certificateSha256())) {
                        throw new MpftException(ErrorCode.CLUSTER_AUTH_FAILED, "secondary " + target
                                + " names certificate " + welcome.certificateSha256().hex()
                                + " but presented " + (seenCertificate == null ? "none" : seenCertificate.hex()));
                    }
                    if (ping) {
                        probing = welcome;
                        ctx.writeAndFlush(new LinkPing(PROBE_SEQUENCE));
                    } else {
                        up((QuicStreamChannel) ctx.channel(), welcome);
                    }
                    return;
                }
                if (frame instanceof LinkPong && probing != null) {
                    up((QuicStreamChannel) ctx.channel(), probing);
                    return;
                }
                throw new MpftException(ErrorCode.PROTOCOL_ERROR, "unexpected " + frame.type()
                        + " during the cluster handshake");
            }
            if (frame instanceof LinkPong pong) {
                if (liveness != null) {
                    liveness.answered(pong.sequence());
                }
                return;
            }
            if (!transfers.dispatch(frame)) {
                throw new MpftException(ErrorCode.PROTOCOL_ERROR, "unexpected " + frame.type() + " from a secondary");
            }
        }

        private void up(QuicStreamChannel s, ClusterWelcome welcome) {
            stream = s;
            endpoint = new Endpoint(handshake.peer(), welcome.advertiseHost(), welcome.advertisePort(),
                    welcome.certificateSha256());
            backoffMillis = MIN_BACKOFF.toMillis();
            lastProblem = null;
            LOG.info("cluster link to secondary {} ({}) up; clients reach it at {}:{}", target,
                    LogText.quote(handshake.peer()), LogText.quote(welcome.advertiseHost()), welcome.advertisePort());
            if (ping) {
                liveness = LinkKeepAlive.pings(s, settings.idleTimeout(), silentMillis -> {
                    lastProblem = "nothing heard from the secondary for " + silentMillis + " ms";
                    linkClosed(datagram);
                }, roundTrip -> LOG.info("cluster link to secondary {}: LINK_PONG after {} ms (down after {} ms of"
                        + " silence)", target, roundTrip, settings.idleTimeout().toMillis()));
            } else {
                LinkKeepAlive.endTransfers(s, settings.idleTimeout(), () -> stream == s);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lastProblem = String.valueOf(FrameStreamCodec.protocolError(cause) != null
                    ? FrameStreamCodec.protocolError(cause).getMessage() : cause);
            connection.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (liveness != null) {
                liveness.stop();
            }
            connection.close();
            ctx.fireChannelInactive();
        }
    }
}
