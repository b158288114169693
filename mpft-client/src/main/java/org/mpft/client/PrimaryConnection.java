package org.mpft.client;

import org.mpft.transport.ChunkBuffers;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.ProtocolException;
import java.security.cert.X509Certificate;
import org.mpft.transport.CertificateAuthorities;
import org.mpft.transport.FrameStreamCodec;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.DatagramSizes;
import org.mpft.transport.TransportSettings;

/**
 * The client's QUIC connection to one server: resolves and connects (checking the certificate with the
 * request's {@link HostKeyVerifier}), opens the control stream (and, on request, transfer streams), sends
 * frames on it, and turns everything that arrives (control frames, complete chunk streams through
 * {@link ChunkReceiver}, the connection's end) into {@link DownloadEvent}s. Chunks of several transfers are
 * told apart by their header's {@code transferId}: the verifier comes by that id; a transfer stream's frames go
 * to the sink given when it was opened.
 */
final class PrimaryConnection implements AutoCloseable {

    /**
     * How long a read waits for more datagrams while a download's packets trickle in (a long path paced by its
     * bottleneck delivers them one by one; see {@code ReceiveCoalescing}): half a millisecond took a third of the
     * client's CPU and almost half of the server's off a download over a 100 ms path, at no cost where packets
     * come in bursts (docs/BENCHMARKS.md). The JVM property {@code mpft.read-hold-micros} sets another
     * (0: every datagram is read at once), to measure with.
     */
    static final Duration READ_HOLD = Duration.ofNanos(1000L * Long.getLong("mpft.read-hold-micros", 500));

    private final String server;
    private final Channel datagram;
    private final QuicChannel connection;
    private final QuicStreamChannel control;
    private final byte[] certificateSha256;
    private volatile boolean closing;

    private PrimaryConnection(String server, Channel datagram, QuicChannel connection, QuicStreamChannel control,
                              byte[] certificateSha256) {
        this.server = server;
        this.datagram = datagram;
        this.connection = connection;
        this.control = control;
        this.certificateSha256 = certificateSha256;
    }

    /**
     * Connects and opens the control stream.
     *
     * @param transport the client's transport
     * @param settings  the transport parameters
     * @param request   the download (host, port, host keys)
     * @param timeout   how long the handshake may take
     * @param verifier  the chunk verifier of a transferId once its META arrived; null for an id no transfer of
     *                  the session runs (one that ended): such a chunk is dropped, the session goes on
     * @param budget    the chunk bytes buffered at once
     * @param events    where frames, chunks and failures go
     * @throws MpftException SERVER_UNAVAILABLE (unresolvable, unreachable, no answer) or the host key
     *                       verifier's refusal (AUTHENTICATION_FAILED)
     */
    static PrimaryConnection connect(QuicTransport transport, TransportSettings settings, DownloadRequest request,
                                     Duration timeout, LongFunction<ChunkVerifier> verifier, ReceiveBudget budget,
                                     Consumer<DownloadEvent> events) throws MpftException, InterruptedException {
        CertificateAuthorities authorities = request.certificateAuthorities();
        Pin pin = authorities != null ? sha256 -> { } // the chain was verified against the authorities
                : sha256 -> request.hostKeys().verify(request.server(), sha256, null);
        return connect(transport, settings, request.server(), request.host(), request.port(), authorities, pin,
                timeout, new ChunkStreams(request.server(), verifier, true, budget, events), events);
    }

    /** Decides on a server's certificate during the handshake. */
    @FunctionalInterface
    interface Pin {
        /** @throws MpftException to refuse the certificate */
        void check(byte[] certificateSha256) throws MpftException;
    }

    /**
     * Connects to any mpft server for one conversation (a listing) and opens the control stream, first verifying
     * the server's chain against {@code authorities} (when not null) with {@code host} as the name the
     * certificate must hold; a chunk of a transfer {@code verifier} does not know is a protocol error.
     *
     * @param server the server as shown to the user, {@code host:port}
     * @param pin    accepts or refuses the server's certificate
     * @throws MpftException SERVER_UNAVAILABLE (unresolvable, unreachable, no answer) or the pin's refusal
     */
    static PrimaryConnection connect(QuicTransport transport, TransportSettings settings, String server,
                                             String host, int port, CertificateAuthorities authorities, Pin pin,
                                             Duration timeout, LongFunction<ChunkVerifier> verifier,
                                             ReceiveBudget budget, Consumer<DownloadEvent> events)
            throws MpftException, InterruptedException {
        return connect(transport, settings, server, host, port, authorities, pin, timeout,
                new ChunkStreams(server, verifier, false, budget, events), events);
    }

    /**
     * Connects to a server whose connection several transfers share (a secondary's kept connection): its chunk
     * streams are checked with the verifier of their header's transferId ({@code verifiers}); a chunk of a
     * transfer it does not know (one that ended) is dropped.
     */
    static PrimaryConnection connectShared(QuicTransport transport, TransportSettings settings, String server,
                                           String host, int port, Pin pin, Duration timeout,
                                           LongFunction<ChunkVerifier> verifiers, ReceiveBudget budget,
                                           Consumer<DownloadEvent> events) throws MpftException, InterruptedException {
        return connect(transport, settings, server, host, port, null, pin, timeout,
                new ChunkStreams(server, verifiers, true, budget, events), events);
    }

    private static PrimaryConnection connect(QuicTransport transport, TransportSettings settings, String server,
                                             String host, int port, CertificateAuthorities authorities, Pin pin,
                                             Duration timeout, ChannelHandler chunkStreams,
                                             Consumer<DownloadEvent> events)
            throws MpftException, InterruptedException {
        InetSocketAddress remote;
        try {
            remote = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "cannot resolve " + host
                    + " (server " + server + ")", e);
        }
        // loopback carries datagrams of the interface's MTU: receive slots sized for them (what the server sends
        // never exceeds what this side announces)
        TransportSettings path = DatagramSizes.toward(remote.getAddress(), settings);
        byte[][] seen = new byte[1][];
        MpftException[] refused = new MpftException[1];
        ChannelFuture bound = transport.bindClient(null, QuicTls.chainCheckingClientContext(chain -> {
            byte[] sha256 = TlsIdentity.sha256(chain[0]);
            seen[0] = sha256.clone();
            try {
                if (authorities != null) {
                    verifyChain(authorities, chain, host, server);
                }
                pin.check(sha256.clone());
            } catch (MpftException e) {
                synchronized (refused) {
                    refused[0] = e;
                }
                throw new CertificateException(e.getMessage());
            }
        }), path, READ_HOLD);
        if (!bound.await(timeout.toMillis()) || !bound.isSuccess()) {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "cannot open a UDP socket to reach " + server
                    + ": " + bound.cause(), bound.cause());
        }
        Channel datagram = bound.channel();
        boolean ok = false;
        try {
            Future<QuicChannel> connected = transport.connect(datagram, remote, path,
                    new ChannelInboundHandlerAdapter(), chunkStreams);
            if (!connected.await(timeout.toMillis())) {
                // not cancelled: closing the socket below fails the pending connect (a cancel would make netty's
                // own failure of it log "complete already" with a stack trace)
                // nothing came back at all: the usual cause is a firewall that lets SSH (TCP) through and drops UDP
                throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "no answer from " + server + " within "
                        + timeout.toSeconds() + " s: UDP to " + server + " may be blocked (a firewall on the way"
                        + " dropping UDP port " + port + "), or no mpft server listens there");
            }
            if (!connected.isSuccess()) {
                synchronized (refused) {
                    if (refused[0] != null) {
                        throw refused[0];
                    }
                }
                throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "cannot connect to " + server + ": "
                        + describe(connected.cause()), connected.cause());
            }
            QuicChannel connection = connected.getNow();
            if (seen[0] == null) {
                throw new MpftException(ErrorCode.PROTOCOL_ERROR, server + " presented no certificate");
            }
            QuicStreamChannel control = openFrameStream(connection, server, events, timeout, "the control stream");
            PrimaryConnection result = new PrimaryConnection(server, datagram, connection, control, seen[0]);
            connection.closeFuture().addListener(f -> {
                if (!result.closing) {
                    events.accept(new DownloadEvent.Failed(new MpftException(ErrorCode.SERVER_UNAVAILABLE,
                            "the connection to " + server + " was lost" + (connection.isTimedOut()
                                    ? " (no packet for " + settings.idleTimeout().toSeconds() + " s)" : ""))));
                }
            });
            ok = true;
            return result;
        } finally {
            if (!ok) {
                datagram.close();
            }
        }
    }

    private static void verifyChain(CertificateAuthorities authorities, X509Certificate[] chain, String host,
                                    String server) throws MpftException {
        try {
            authorities.check(chain, host);
        } catch (CertificateException e) {
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "certificate of " + server
                    + " refused: " + e.getMessage() + " (certificate authorities: " + authorities.source() + ")");
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** The server, {@code host:port}. */
    String server() {
        return server;
    }

    /** The SHA-256 of the certificate the server presented (and the verifier accepted). */
    byte[] certificateSha256() {
        return certificateSha256.clone();
    }

    /** Sends a frame on the control stream (any thread). */
    void send(Frame frame) {
        control.writeAndFlush(frame);
    }

    /** True while the connection is open and was not closed by this side. */
    boolean alive() {
        return !closing && connection.isActive();
    }

    /**
     * Calls {@code silent} (on the connection's thread) when no packet at all arrives from the server within
     * {@code within} from now, while the connection is still open: call it just before sending something the
     * server's QUIC stack acknowledges at once (a frame), so that silence means a server gone without a goodbye
     * (a restarted one knows nothing of the connection and drops its packets) rather than a slow application.
     */
    void onSilence(Duration within, Runnable silent) {
        // the count is taken on the connection's thread before any frame written after this call is sent
        connection.collectStats().addListener(before -> {
            if (!before.isSuccess()) {
                return;
            }
            long received = ((QuicConnectionStats) before.getNow()).recv();
            connection.eventLoop().schedule(() -> connection.collectStats().addListener(after -> {
                if (after.isSuccess() && ((QuicConnectionStats) after.getNow()).recv() == received
                        && connection.isActive() && !closing) {
                    silent.run();
                }
            }), within.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Opens a further bidirectional stream on the connection (TRANSFER_STREAMS): its frames, a malformed one and
     * the server's FIN go to {@code events} as on the control stream. Write frames with
     * {@link QuicStreamChannel#writeAndFlush}; {@link QuicStreamChannel#shutdownOutput} ends it.
     *
     * @throws MpftException SERVER_UNAVAILABLE when the stream cannot be opened within {@code timeout}
     */
    QuicStreamChannel openStream(Consumer<DownloadEvent> events, Duration timeout)
            throws MpftException, InterruptedException {
        return openFrameStream(connection, server, events, timeout, "a stream");
    }

    /**
     * Opens a bidirectional stream of control frames on {@code connection}: its frames, a malformed one and the
     * server's FIN go to {@code events}.
     *
     * @param what the stream, for the error ("the control stream", "a stream")
     * @throws MpftException SERVER_UNAVAILABLE when it cannot be opened within {@code timeout}, with the cause
     */
    private static QuicStreamChannel openFrameStream(QuicChannel connection, String server,
                                                     Consumer<DownloadEvent> events, Duration timeout, String what)
            throws MpftException, InterruptedException {
        Future<QuicStreamChannel> opened = connection.createStream(QuicStreamType.BIDIRECTIONAL,
                new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel stream) {
                        stream.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL),
                                new ControlHandler(server, events));
                    }
                });
        if (!opened.await(timeout.toMillis()) || !opened.isSuccess()) {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "cannot open " + what + " to " + server + ": "
                    + describe(opened.cause()), opened.cause());
        }
        return opened.getNow();
    }

    /**
     * Ends the conversation politely: sends the last frame (if any) and FIN on the control stream, then waits up
     * to {@code grace} for the server to close the connection before closing it.
     */
    void finish(Frame last, Duration grace) throws InterruptedException {
        closing = true;
        if (last == null) {
            control.shutdownOutput();
        } else {
            control.writeAndFlush(last).addListener(f -> control.shutdownOutput());
        }
        connection.closeFuture().await(grace.toMillis(), TimeUnit.MILLISECONDS);
        close();
    }

    /** Closes the connection and its UDP socket; no event is reported for it. Idempotent. */
    @Override
    public void close() {
        closing = true;
        connection.close();
        connection.closeFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
        datagram.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }

    /** Puts a {@link ChunkReceiver} on every stream the server opens toward the client. */
    @ChannelHandler.Sharable
    private static final class ChunkStreams extends ChannelInitializer<QuicStreamChannel> {
        private final String server;
        private final LongFunction<ChunkVerifier> verifier;
        private final boolean routed;
        private final ReceiveBudget budget;
        /** one connection's chunk streams in the server's order */
        private final StreamOrder order = new StreamOrder();
        private final Consumer<DownloadEvent> events;

        ChunkStreams(String server, LongFunction<ChunkVerifier> verifier, boolean routed, ReceiveBudget budget,
                     Consumer<DownloadEvent> events) {
            this.budget = budget;
            this.server = server;
            this.verifier = verifier;
            this.routed = routed;
            this.events = events;
        }

        @Override
        protected void initChannel(QuicStreamChannel stream) {
            if (stream.type() != QuicStreamType.UNIDIRECTIONAL) {
                stream.close();
                return;
            }
            stream.pipeline().addLast(new ChunkReceiver(server, verifier, routed, budget, order, events,
                    ChunkBuffers.ALLOCATOR));
        }
    }

    /** Forwards control frames, and turns a malformed frame or the server's FIN into a failure. */
    private static final class ControlHandler extends SimpleChannelInboundHandler<Frame> {
        private final String server;
        private final Consumer<DownloadEvent> events;

        ControlHandler(String server, Consumer<DownloadEvent> events) {
            this.server = server;
            this.events = events;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            events.accept(new DownloadEvent.ControlFrame(frame));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ProtocolException protocol = FrameStreamCodec.protocolError(cause);
            events.accept(new DownloadEvent.Failed(protocol != null
                    ? new MpftException(ErrorCode.PROTOCOL_ERROR, server + " sent a malformed frame: "
                    + protocol.getMessage(), protocol)
                    : new MpftException(ErrorCode.SERVER_UNAVAILABLE, "the control stream to " + server
                    + " failed: " + describe(cause), cause)));
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownReadComplete) {
                events.accept(new DownloadEvent.Failed(new MpftException(ErrorCode.SERVER_UNAVAILABLE,
                        server + " ended the session")));
                return;
            }
            ctx.fireUserEventTriggered(event);
        }
    }
}
