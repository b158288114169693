package org.mpft.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelBootstrap;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event loop group and the tuned QUIC datagram channels bound on it. Every QUIC connection and stream
 * of a datagram channel runs on that channel's event loop thread, so one thread per bound channel is
 * enough; more threads only help when several channels are bound.
 *
 * <p>The pipeline is the one measured fastest on Linux: epoll with {@code recvmmsg} (32 datagrams of up
 * to 2048 bytes per system call; fewer, larger slots when the settings allow loopback-sized datagrams), UDP GSO
 * on send, large socket buffers, BBR. When the epoll native
 * library cannot load (macOS, Windows, a Linux without the library), the transport falls back to NIO (several
 * times slower) and logs a warning. The system property {@value #TRANSPORT_PROPERTY} chooses:
 * {@code auto} (the default: epoll where it loads, else NIO) or {@code nio} (NIO even where epoll loads, e.g.
 * to rule the native transport out when a problem is seen).
 * Threads are daemon threads named after the group. Creating a transport turns netty's buffer leak
 * detection off unless {@code -Dio.netty.leakDetection.level} is set (its sampled stack traces cost
 * throughput at packet rates).
 */
public final class QuicTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QuicTransport.class);

    private static final AtomicBoolean SMALL_BUFFER_WARNED = new AtomicBoolean();

    /**
     * Bytes of the connection IDs this side issues, carried in every short-header packet it receives: 8
     * (64 random bits, as Quinn and most stacks use) instead of quiche's 20 leaves 12 more bytes of every
     * 1452-byte packet for data.
     */
    static final int CONNECTION_ID_LENGTH = 8;

    /** The system property that chooses the datagram transport: {@code auto} (default) or {@code nio}. */
    public static final String TRANSPORT_PROPERTY = "mpft.transport";

    private final EventLoopGroup group;
    private final boolean epoll;
    private final CongestionControl congestionControl;

    private QuicTransport(EventLoopGroup group, boolean epoll, CongestionControl congestionControl) {
        this.group = group;
        this.epoll = epoll;
        this.congestionControl = congestionControl;
    }

    /**
     * Starts an event loop group.
     *
     * @param name    the thread name prefix, e.g. {@code mpft-quic}
     * @param threads the number of event loop threads (at least 1)
     * @throws IllegalStateException when the QUIC native library cannot load on this platform
     */
    public static QuicTransport create(String name, int threads) {
        return create(name, threads, CongestionControl.BBR);
    }

    /**
     * Loads the QUIC native library and the epoll transport's, the first thing {@link #create} needs; a caller
     * may do it ahead of time on another thread.
     *
     * @return whether the QUIC native library loads on this platform
     */
    public static boolean loadNatives() {
        boolean quic = Quic.isAvailable();
        if (quic) {
            Epoll.isAvailable();
        }
        return quic;
    }

    /**
     * Starts an event loop group whose connections send with {@code congestionControl}.
     *
     * @param name              the thread name prefix, e.g. {@code mpft-quic}
     * @param threads           the number of event loop threads (at least 1)
     * @param congestionControl the congestion controller of every connection of this transport
     * @throws IllegalStateException when the QUIC native library cannot load on this platform
     */
    public static QuicTransport create(String name, int threads, CongestionControl congestionControl) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(congestionControl, "congestionControl");
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1: " + threads);
        }
        if (!Quic.isAvailable()) {
            throw new IllegalStateException("the QUIC native library cannot load on this platform: "
                    + Quic.unavailabilityCause(), Quic.unavailabilityCause());
        }
        boolean forceNio = forceNio(System.getProperty(TRANSPORT_PROPERTY));
        quietLeakDetection();
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        if (forceNio) {
            LOG.info("NIO transport chosen by -D{}=nio", TRANSPORT_PROPERTY);
            return new QuicTransport(new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory()),
                    false, congestionControl);
        }
        if (Epoll.isAvailable()) {
            LOG.debug("epoll transport");
            return new QuicTransport(new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory()),
                    true, congestionControl);
        }
        LOG.warn("epoll native transport unavailable ({}); falling back to NIO, expect a fraction of the speed",
                String.valueOf(Epoll.unavailabilityCause()));
        return new QuicTransport(new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory()), false,
                congestionControl);
    }

    /**
     * Reads the value of {@value #TRANSPORT_PROPERTY}: true for {@code nio}, false for {@code auto} or no value.
     *
     * @throws IllegalArgumentException for any other value, naming the property and the accepted values
     */
    static boolean forceNio(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("auto")) {
            return false;
        }
        if (value.strip().equalsIgnoreCase("nio")) {
            return true;
        }
        throw new IllegalArgumentException("-D" + TRANSPORT_PROPERTY + "=" + value
                + " is not a transport: use auto (epoll where it loads, else NIO) or nio");
    }

    /**
     * Turns netty's buffer leak detection off unless the JVM was started with
     * {@code -Dio.netty.leakDetection.level}: at its default level it records a stack trace for a sample of
     * buffers, and at tens of thousands of packet buffers per second that was measurable on the hot path.
     */
    private static void quietLeakDetection() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** True when the native epoll transport is in use (recvmmsg and GSO). */
    public boolean isEpoll() {
        return epoll;
    }

    /** The event loop group. */
    public EventLoopGroup group() {
        return group;
    }

    /** The congestion controller every connection of this transport sends with. */
    public CongestionControl congestionControl() {
        return congestionControl;
    }

    /**
     * Binds a QUIC server.
     *
     * @param local             the address and port to bind (port 0 for an ephemeral port)
     * @param tls               the server's TLS context ({@link QuicTls#serverContext})
     * @param settings          the transport parameters
     * @param retryTokens       decides when a new client's address is validated with a Retry first
     * @param connectionHandler added to every new connection's pipeline (a fresh {@link QuicChannel})
     * @param streamHandler     added to every stream the client opens
     * @return completes with the bound datagram channel
     */
    public ChannelFuture bindServer(InetSocketAddress local, QuicSslContext tls, TransportSettings settings,
                                    RetryTokens retryTokens, ChannelHandler connectionHandler,
                                    ChannelHandler streamHandler) {
        Objects.requireNonNull(local, "local");
        QuicServerCodecBuilder builder = tune(new QuicServerCodecBuilder(), tls, settings, congestionControl)
                .tokenHandler(Objects.requireNonNull(retryTokens, "retryTokens"))
                .handler(Objects.requireNonNull(connectionHandler, "connectionHandler"))
                .streamHandler(Objects.requireNonNull(streamHandler, "streamHandler"));
        if (epoll && settings.gsoSegments() > 1) {
            builder.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(settings.gsoSegments()));
        }
        return checkBuffers(datagramBootstrap(settings).handler(builder.build()).bind(local), settings);
    }

    /**
     * Binds a client datagram channel on an ephemeral port; {@link #connect} opens connections on it. The
     * TLS context belongs to the channel: bind one channel per server when pins differ.
     *
     * @param local    the local address, or null for the wildcard address
     * @param tls      the client's TLS context ({@link QuicTls#clientContext})
     * @param settings the transport parameters
     * @return completes with the bound datagram channel
     */
    public ChannelFuture bindClient(InetSocketAddress local, QuicSslContext tls, TransportSettings settings) {
        return bindClient(local, tls, settings, Duration.ZERO);
    }

    /**
     * Binds a client datagram channel as {@link #bindClient(InetSocketAddress, QuicSslContext, TransportSettings)}
     * does, whose reads pause for {@code readHold} while packets trickle in ({@link ReceiveCoalescing}): for the
     * channels that receive a download's chunks.
     *
     * @param readHold how long a read of a trickle waits for more datagrams; zero for no wait
     */
    public ChannelFuture bindClient(InetSocketAddress local, QuicSslContext tls, TransportSettings settings,
                                    Duration readHold) {
        ChannelHandler codec = tune(new QuicClientCodecBuilder(), tls, settings, congestionControl).build();
        long holdNanos = readHold.toNanos();
        int few = Math.max(2, Math.min(ReceiveCoalescing.FEW, settings.datagramsPerRead()));
        ChannelHandler handler = holdNanos <= 0 ? codec : new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new ReceiveCoalescing(holdNanos, few, System::nanoTime), codec);
            }
        };
        return checkBuffers(datagramBootstrap(settings).handler(handler)
                .bind(local == null ? new InetSocketAddress(0) : local), settings);
    }

    /**
     * Says once per process (at INFO: servers log it, the client shows it with {@code -v}) when the kernel gave a bound channel a smaller receive buffer than asked for
     * ({@code net.core.rmem_max} caps {@code SO_RCVBUF}): bursts then overflow the socket and are lost,
     * which QUIC repairs at the cost of speed. Linux reports twice the usable size it granted.
     */
    private static ChannelFuture checkBuffers(ChannelFuture bound, TransportSettings settings) {
        bound.addListener(f -> {
            if (!f.isSuccess() || SMALL_BUFFER_WARNED.get()) {
                return;
            }
            Integer granted = bound.channel().config().getOption(ChannelOption.SO_RCVBUF);
            if (granted != null && granted / 2 < settings.socketBufferBytes()
                    && SMALL_BUFFER_WARNED.compareAndSet(false, true)) {
                LOG.info("the kernel limits UDP receive buffers to {} KiB, less than the {} KiB mpft asks for: expect"
                                + " lost packets and lower speed; raise it with sysctl -w net.core.rmem_max={}",
                        granted / 2 / 1024, settings.socketBufferBytes() / 1024, settings.socketBufferBytes());
            }
        });
        return bound;
    }

    /**
     * Opens a QUIC connection on a client datagram channel bound by {@link #bindClient}, the only connection on
     * that channel: when the server closes the connection (its CONNECTION_CLOSE arrives), the datagram channel is
     * closed, which ends the connection at once instead of after QUIC's draining period ({@link PeerClose}).
     *
     * @param datagram          the bound client channel
     * @param remote            the server
     * @param settings          the transport parameters the channel was bound with
     * @param connectionHandler added to the connection's pipeline
     * @param streamHandler     added to every stream the server opens toward the client
     * @return completes with the connection once the handshake succeeded (including the certificate pin)
     */
    public Future<QuicChannel> connect(Channel datagram, InetSocketAddress remote, TransportSettings settings,
                                       ChannelHandler connectionHandler, ChannelHandler streamHandler) {
        Objects.requireNonNull(connectionHandler, "connectionHandler");
        QuicChannelBootstrap bootstrap = QuicChannel.newBootstrap(datagram)
                .remoteAddress(Objects.requireNonNull(remote, "remote"))
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel connection) {
                        connection.pipeline().addLast(connectionHandler, new PeerClose());
                    }
                })
                .streamHandler(Objects.requireNonNull(streamHandler, "streamHandler"));
        if (epoll && settings.gsoSegments() > 1) {
            bootstrap.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(settings.gsoSegments()));
        }
        return bootstrap.connect();
    }

    private static <B extends QuicCodecBuilder<B>> B tune(B builder, QuicSslContext tls, TransportSettings s,
                                                          CongestionControl congestionControl) {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(s, "settings");
        return builder.sslContext(tls)
                .maxIdleTimeout(s.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .localConnectionIdLength(CONNECTION_ID_LENGTH)
                .maxSendUdpPayloadSize(s.maxUdpPayload())
                .maxRecvUdpPayloadSize(s.maxUdpPayload())
                .initialMaxData(s.connectionWindow())
                .initialMaxStreamDataBidirectionalLocal(s.streamWindow())
                .initialMaxStreamDataBidirectionalRemote(s.streamWindow())
                .initialMaxStreamDataUnidirectional(s.streamWindow())
                .initialMaxStreamsBidirectional(s.maxStreams())
                .initialMaxStreamsUnidirectional(s.maxStreams())
                .congestionControlAlgorithm(congestionControl.algorithm());
    }

    private Bootstrap datagramBootstrap(TransportSettings settings) {
        Bootstrap bootstrap = new Bootstrap().group(group)
                .option(ChannelOption.SO_RCVBUF, settings.socketBufferBytes())
                .option(ChannelOption.SO_SNDBUF, settings.socketBufferBytes());
        if (epoll) {
            bootstrap.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, settings.receiveSlot())
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(settings.datagramsPerRead() * settings.receiveSlot()));
            if (settings.receiveSlot() > TransportSettings.ETHERNET_PAYLOAD * 2) {
                // netty's adaptive allocator hands read buffers of loopback-sized slots out unpooled (allocated
                // and zeroed for every read: 3% of a loopback download's CPU); the pooled one reuses them
                bootstrap.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
            }
        } else {
            bootstrap.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(settings.receiveSlot()));
        }
        return bootstrap;
    }

    /** Shuts the event loops down (closing every channel on them) and waits up to 5 seconds. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
