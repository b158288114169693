package org.mpft.plugin.secondary;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.mpft.plugin.send.ChunkPrefetcher;
import org.mpft.plugin.testsupport.Pipelines;
import org.mpft.protocol.ClusterHello;
import org.mpft.protocol.EndTransfer;
import org.mpft.protocol.LinkPing;
import org.mpft.protocol.ProtocolException;
import io.netty.handler.codec.DecoderException;
import org.mpft.transport.ChunkBuffers;

import org.mpft.plugin.cluster.ClusterLink;
import org.mpft.plugin.cluster.ClusterSecret;
import org.mpft.plugin.cluster.Ticket;
import org.mpft.plugin.testsupport.FakeHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkError;
import org.mpft.protocol.ChunkSent;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RegisterTransfer;
import org.mpft.protocol.SendChunk;
import org.mpft.transport.FrameStreamCodec;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.RetryTokens;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.TransportSettings;

/** A real QUIC cluster link on loopback: a primary's {@link ClusterLink} to a secondary's {@link ClusterLinkHandler}. */
@Timeout(60)
class ClusterLinkTest {

    private static final ClusterSecret SECRET = ClusterSecret.of("c".repeat(40).getBytes(StandardCharsets.US_ASCII));
    private static final ClusterSecret WRONG = ClusterSecret.of("w".repeat(40).getBytes(StandardCharsets.US_ASCII));
    private static final long MTIME = 1_650_000_000_000L;
    private static final int CHUNK = 4096;
    /** How long the secondary has to answer a registration: a bound on a hang only. */
    private static final Duration ANSWER = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final TransportSettings settings = TransportSettings.defaults().withIdleTimeout(Duration.ofSeconds(3));
    private final QuicTransport secondaryTransport = QuicTransport.create("test-secondary", 1);
    private final QuicTransport primaryTransport = QuicTransport.create("test-primary", 1);
    private final ExecutorService io = Executors.newFixedThreadPool(2);
    private final ExecutorService registrations = Executors.newFixedThreadPool(2);
    private final FakeHost host = new FakeHost();
    private SecondaryRole role;
    private final FrameTap tap = new FrameTap();
    private TlsIdentity identity;
    private ClusterLink link;

    @AfterEach
    void stop() {
        if (link != null) {
            link.close();
        }
        primaryTransport.close();
        secondaryTransport.close();
        io.shutdownNow();
        registrations.shutdownNow();
    }

    private InetSocketAddress startSecondary(List<InetAddress> acceptPrimaries) throws Exception {
        return startSecondary(acceptPrimaries, 0);
    }

    private InetSocketAddress startSecondary(List<InetAddress> acceptPrimaries, int port) throws Exception {
        identity = TlsIdentity.generate("sec-1");
        byte[] content = new byte[3 * CHUNK];
        new SecureRandom().nextBytes(content);
        host.put("alice", "big.bin", content, MTIME);
        SecondaryTransfers registry = new SecondaryTransfers(SECRET, "sec-1", host.context(dir),
                System::currentTimeMillis, Duration.ofMinutes(2), 16);
        role = new SecondaryRole(SECRET, "sec-1", "203.0.113.7", 7444, Bytes.of(identity.certificateSha256()),
                acceptPrimaries, registry, io, registrations, Pipelines.reader(ChunkBuffers.ALLOCATOR), new ChunkPrefetcher.Pool(Runnable::run, new ChunkPrefetcher.Budget(0), 0),
                new org.mpft.plugin.send.SendBudget(1L << 30), 1L << 28, 3);
        Channel server = secondaryTransport.bindServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                QuicTls.serverContext(identity), settings,
                new RetryTokens(() -> false, System::currentTimeMillis, new SecureRandom()),
                new SharableNoOp(), // every connection of a reconnecting primary gets it
                new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel stream) {
                        stream.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CLUSTER), tap,
                                new ClusterLinkHandler((QuicChannel) stream.parent(), role));
                    }
                }).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** A connection handler that does nothing, for any number of connections. */
    @ChannelHandler.Sharable
    private static final class SharableNoOp extends ChannelInboundHandlerAdapter {
    }

    private ClusterLink connect(InetSocketAddress secondary, ClusterSecret secret) {
        link = new ClusterLink("127.0.0.1:" + secondary.getPort(), secondary, secret, "prim-1", primaryTransport,
                settings);
        link.start();
        return link;
    }

    /**
     * Polls {@code condition} until it holds (every 20 ms); a condition that never holds fails the test
     * after {@code limit}, a bound on a hang only: no assertion depends on how long it took.
     */
    private static void await(BooleanSupplier condition, Duration limit) {
        await(condition, limit, () -> "");
    }

    private static void await(BooleanSupplier condition, Duration limit, java.util.function.Supplier<String> state) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + limit + " " + state.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /**
     * Counts the cluster frames a secondary receives, between the codec and its
     * {@link ClusterLinkHandler}: keepalives (END_TRANSFER(-1) or LINK_PING) show time passing on the link,
     * hellos show the primary's attempts. It can also make the secondary one that predates LINK_PING (the
     * frame fails to decode, as an unknown type did there) or one whose application stopped answering pings
     * while its QUIC stack still acknowledges packets (no real secondary can be frozen inside this JVM).
     */
    @ChannelHandler.Sharable
    private static final class FrameTap extends ChannelInboundHandlerAdapter {
        final AtomicInteger keepalives = new AtomicInteger();
        final AtomicInteger endTransferKeepalives = new AtomicInteger();
        final AtomicInteger pings = new AtomicInteger();
        final AtomicInteger hellos = new AtomicInteger();
        final AtomicInteger transferEnds = new AtomicInteger();
        volatile boolean predatesPing;
        volatile boolean deaf;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof EndTransfer end && end.transferId() < 0) {
                keepalives.incrementAndGet();
                endTransferKeepalives.incrementAndGet();
            } else if (msg instanceof LinkPing) {
                keepalives.incrementAndGet();
                pings.incrementAndGet();
                if (predatesPing) {
                    ctx.fireExceptionCaught(new DecoderException(new ProtocolException("unknown frame type 0x2c")));
                    return;
                }
                if (deaf) {
                    return;
                }
            } else if (msg instanceof ClusterHello) {
                hellos.incrementAndGet();
            }
            ctx.fireChannelRead(msg);
            if (msg instanceof EndTransfer end && end.transferId() >= 0) {
                transferEnds.incrementAndGet(); // counted once the link's handler had it
            }
        }
    }

    private static RegisterTransfer registration(long id, String user, String path, long size, long mtime) {
        Ticket t = Ticket.issue(id, user, path, size, mtime, CHUNK, "sec-1", System.currentTimeMillis() + 30_000,
                new SecureRandom());
        return new RegisterTransfer(id, user, path, size, mtime, CHUNK, ChecksumAlgorithm.SHA256, t.id(),
                t.expiresAtMillis());
    }

    /** Records what a transfer hears. */
    private static final class Events implements ClusterLink.TransferListener {
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        @Override
        public void attached() {
            queue.add("attached");
        }

        @Override
        public void chunkSent(ChunkSent sent) {
            queue.add(sent);
        }

        @Override
        public void chunkError(ChunkError error) {
            queue.add(error);
        }

        @Override
        public void linkDown() {
            queue.add("down");
        }
    }

    @Test
    void linkComesUpWithTheAdvertisedAddressAndCertificate() throws Exception {
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getLoopbackAddress()));
        ClusterLink l = connect(secondary, SECRET);
        await(l::isUp, Duration.ofSeconds(10));
        ClusterLink.Endpoint endpoint = l.endpoint();
        assertThat(endpoint.name()).isEqualTo("sec-1");
        assertThat(endpoint.host()).isEqualTo("203.0.113.7");
        assertThat(endpoint.port()).isEqualTo(7444);
        assertThat(endpoint.certificateSha256().toByteArray()).isEqualTo(identity.certificateSha256());
    }

    @Test
    void linkComesUpOnceALateSecondaryStarts() throws Exception {
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ClusterLink l = connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SECRET);
        await(() -> l.lastProblem() != null, Duration.ofSeconds(15)); // an attempt failed; it retries with back-off
        assertThat(l.isUp()).isFalse();
        startSecondary(List.of(InetAddress.getLoopbackAddress()), port);
        await(l::isUp, Duration.ofSeconds(15));
        assertThat(l.endpoint().name()).isEqualTo("sec-1");
    }

    @Test
    void idleLinkStaysUp() throws Exception {
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getLoopbackAddress()));
        ClusterLink l = connect(secondary, SECRET);
        await(l::isUp, Duration.ofSeconds(10));
        ClusterLink.Endpoint first = l.endpoint();
        // a keepalive every quarter of the 3 s idle timeout: after five, the link outlived an idle timeout
        await(() -> tap.keepalives.get() >= 5, Duration.ofSeconds(30));
        assertThat(l.isUp()).isTrue();
        assertThat(l.endpoint()).isSameAs(first); // the same connection, not a reconnect
    }

    @Test
    void aSecondaryThatStopsAnsweringPingsIsDownThoughItsQuicStillAnswers() throws Exception {
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getLoopbackAddress()));
        ClusterLink l = connect(secondary, SECRET);
        await(l::isUp, Duration.ofSeconds(10));
        int pingsBefore = tap.pings.get();
        tap.deaf = true;
        // QUIC's idle timeout never fires here (the secondary's stack acknowledges every packet): only the
        // liveness check can take the link down
        await(() -> !l.isUp(), Duration.ofSeconds(30));
        await(() -> l.lastProblem() != null, Duration.ofSeconds(10));
        assertThat(l.lastProblem()).startsWith("nothing heard from the secondary for ");
        assertThat(tap.pings.get()).isGreaterThan(pingsBefore);
        tap.deaf = false;
        await(l::isUp, Duration.ofSeconds(30), () -> "hellos " + tap.hellos.get() + ", problem " + l.lastProblem());
    }

    @Test
    void aSecondaryThatPredatesLinkPingIsLinkedWithKeepalivesInstead() throws Exception {
        tap.predatesPing = true;
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getLoopbackAddress()));
        ClusterLink l = connect(secondary, SECRET);
        await(l::isUp, Duration.ofSeconds(30), () -> "hellos " + tap.hellos.get() + ", pings " + tap.pings.get()
                + ", problem " + l.lastProblem());
        // one attempt probed with LINK_PING and was refused; the next linked without pinging
        assertThat(tap.hellos.get()).isEqualTo(2);
        assertThat(tap.pings.get()).isEqualTo(1);
        ClusterLink.Endpoint first = l.endpoint();
        await(() -> tap.endTransferKeepalives.get() >= 5, Duration.ofSeconds(30));
        assertThat(l.isUp()).isTrue();
        assertThat(l.endpoint()).isSameAs(first);
        assertThat(tap.pings.get()).isEqualTo(1);
    }

    @Test
    void secondaryRefusesAPrimaryWithoutTheSecret() throws Exception {
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getLoopbackAddress()));
        ClusterLink l = connect(secondary, WRONG);
        await(() -> l.lastProblem() != null && l.lastProblem().contains("did not prove"), Duration.ofSeconds(10));
        assertThat(l.isUp()).isFalse();
        // and it stays refused across reconnects: wait for the next attempt to end (another hello reached the
        // secondary, or the attempt failed otherwise and left a different problem)
        String refused = l.lastProblem();
        await(() -> tap.hellos.get() >= 2 || (l.lastProblem() != null && !l.lastProblem().equals(refused)),
                Duration.ofSeconds(30), () -> "hellos " + tap.hellos.get() + ", problem " + l.lastProblem());
        assertThat(l.isUp()).isFalse();
        assertThat(role.registry().size()).isZero();
    }

    @Test
    void secondaryRefusesAPrimaryFromAnAddressItDoesNotAccept() throws Exception {
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getByName("192.0.2.1")));
        ClusterLink l = connect(secondary, SECRET);
        await(() -> l.lastProblem() != null && l.lastProblem().contains("accept-primaries"), Duration.ofSeconds(10));
        assertThat(l.isUp()).isFalse();
    }

    @Test
    void registrationsAreAnsweredAndStaleCopiesRefused() throws Exception {
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getLoopbackAddress()));
        ClusterLink l = connect(secondary, SECRET);
        await(l::isUp, Duration.ofSeconds(10));
        Events events = new Events();
        l.register(registration(1, "alice", "big.bin", 3 * CHUNK, MTIME), events, ANSWER).get(10, TimeUnit.SECONDS);
        assertThat(role.registry().find("prim-1", 1)).isNotNull();

        CompletableFuture<Void> stale = l.register(registration(2, "alice", "big.bin", 3 * CHUNK, MTIME + 1000),
                new Events(), ANSWER);
        assertThatThrownBy(() -> stale.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_FILE));
        CompletableFuture<Void> unknown = l.register(registration(3, "mallory", "big.bin", 3 * CHUNK, MTIME),
                new Events(), ANSWER);
        assertThatThrownBy(() -> unknown.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED));

        // no client attached yet: the chunk is refused, and the transfer hears why
        l.send(new SendChunk(1, 0, 0, CHUNK));
        Object event = events.queue.poll(10, TimeUnit.SECONDS);
        assertThat(event).isInstanceOfSatisfying(ChunkError.class, e -> {
            assertThat(e.chunk()).isZero();
            assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
        });
        // a chunk outside the plan is refused too
        l.send(new SendChunk(1, 7, 7L * CHUNK, CHUNK));
        assertThat(events.queue.poll(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ChunkError.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));

        // the secondary goes away: the transfer hears it
        secondaryTransport.close();
        assertThat(events.queue.poll(20, TimeUnit.SECONDS)).isEqualTo("down");
    }

    @Test
    void registrationFailsFastWhenTheLinkIsDown() throws Exception {
        ClusterLink l = connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), SECRET);
        CompletableFuture<Void> answer = l.register(registration(1, "alice", "big.bin", 1, MTIME), new Events(),
                ANSWER);
        assertThatThrownBy(() -> answer.get(1, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE));
        assertThat(l.send(new SendChunk(1, 0, 0, 1))).isFalse();
    }

    /**
     * Registrations run on the secondary's registration threads, END_TRANSFER on the link's event loop as it arrives: under
     * load the end of a transfer (the primary gave up waiting for the registration's answer) comes before the
     * registration was made. The registration must then end as soon as it is made; before, it stayed, holding its
     * file and a place under the limit, for good once a client attached.
     */
    @Test
    void aTransferEndedBeforeItsRegistrationWasMadeIsNotLeftRegistered() throws Exception {
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getLoopbackAddress()));
        ClusterLink l = connect(secondary, SECRET);
        await(l::isUp, Duration.ofSeconds(10));
        // both registration threads busy: the registration waits in their queue
        java.util.concurrent.CountDownLatch busy = holdBothThreads(registrations);
        l.register(registration(5, "alice", "big.bin", 3 * CHUNK, MTIME), new Events(), ANSWER);
        l.send(new EndTransfer(5));
        await(() -> tap.transferEnds.get() == 1, Duration.ofSeconds(10));
        assertThat(role.registry().find("prim-1", 5)).as("not registered yet").isNull();

        busy.countDown();
        java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor) registrations;
        await(() -> pool.getCompletedTaskCount() == 3, Duration.ofSeconds(10));
        assertThat(role.registry().find("prim-1", 5)).as("the ended transfer, once its registration was made").isNull();
        assertThat(role.registry().size()).isZero();

        // a transfer that is not ended stays registered
        l.register(registration(6, "alice", "big.bin", 3 * CHUNK, MTIME), new Events(), ANSWER).get(10, TimeUnit.SECONDS);
        assertThat(role.registry().find("prim-1", 6)).isNotNull();
    }

    /**
     * A client's attach that came before its registration waits for it on an I/O thread, and two such attaches can
     * hold both: the registrations they wait for must not queue behind them.
     */
    @Test
    void registrationsAreMadeWhileEveryIoThreadIsHeld() throws Exception {
        InetSocketAddress secondary = startSecondary(List.of(InetAddress.getLoopbackAddress()));
        ClusterLink l = connect(secondary, SECRET);
        await(l::isUp, Duration.ofSeconds(10));
        java.util.concurrent.CountDownLatch held = holdBothThreads(io);
        try {
            l.register(registration(8, "alice", "big.bin", 3 * CHUNK, MTIME), new Events(), ANSWER)
                    .get(10, TimeUnit.SECONDS);
            assertThat(role.registry().find("prim-1", 8)).isNotNull();
        } finally {
            held.countDown();
        }
    }

    /** Occupies both threads of {@code pool} until the returned latch is counted down. */
    private static java.util.concurrent.CountDownLatch holdBothThreads(ExecutorService pool) {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return release;
    }
}
