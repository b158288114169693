package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.FrameStreamCodec;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * A hand-driven mpft connection for tests that must say what the real client never would: one QUIC
 * connection to 127.0.0.1 with its control stream, the frames the server sends queued in {@link #frames}.
 * Streams the server opens (chunks) are closed at once. Any certificate is accepted; the one the server
 * presented is kept in {@link #seenCertificate}.
 */
final class RawConnection implements AutoCloseable {

    final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final Channel datagram;
    final QuicChannel connection;
    final QuicStreamChannel control;
    /** The SHA-256 of the certificate the server presented on this connection. */
    volatile byte[] seenCertificate;

    /** A client control stream ({@link FrameType.Link#CONTROL}) with the default idle timeout. */
    RawConnection(QuicTransport transport, int port) throws Exception {
        this(transport, port, FrameType.Link.CONTROL, TransportSettings.defaults().idleTimeout());
    }

    /**
     * @param link        which frames the control stream speaks (CONTROL, or CLUSTER to play a primary)
     * @param idleTimeout the connection's QUIC idle timeout
     */
    RawConnection(QuicTransport transport, int port, FrameType.Link link, Duration idleTimeout) throws Exception {
        this(transport, null, port, link, idleTimeout);
    }

    /**
     * @param local the client's local address (e.g. another loopback address as a second source), or null
     */
    RawConnection(QuicTransport transport, InetSocketAddress local, int port, FrameType.Link link,
                  Duration idleTimeout) throws Exception {
        this(transport, local, port, link, TransportSettings.defaults().withIdleTimeout(idleTimeout),
                ch -> ch.close()); // chunk streams are not what these tests are about
    }

    /**
     * @param settings      what the client grants the server (windows, streams) and its idle timeout
     * @param serverStreams what happens to each stream the server opens (a chunk), when it opens
     */
    RawConnection(QuicTransport transport, InetSocketAddress local, int port, FrameType.Link link,
                  TransportSettings settings, java.util.function.Consumer<QuicStreamChannel> serverStreams)
            throws Exception {
        datagram = transport.bindClient(local, QuicTls.clientContext(sha256 -> seenCertificate = sha256.clone()),
                settings).sync().channel();
        connection = transport.connect(datagram, new InetSocketAddress("127.0.0.1", port), settings,
                new ChannelInboundHandlerAdapter(), new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        serverStreams.accept(ch);
                    }
                }).get(10, TimeUnit.SECONDS);
        control = connection.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                ch.pipeline().addLast(new FrameStreamCodec(link), new SimpleChannelInboundHandler<Frame>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
                        frames.add(frame);
                    }
                });
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Sends a frame on the control stream. */
    void send(Frame frame) {
        control.writeAndFlush(frame);
    }

    /**
     * Opens a further bidirectional stream speaking CONTROL frames (TRANSFER_STREAMS): the frames the server
     * sends on it are queued in its own {@link Stream#frames}.
     */
    Stream openStream() throws Exception {
        Stream stream = new Stream();
        stream.channel = connection.createStream(QuicStreamType.BIDIRECTIONAL,
                new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL),
                                new SimpleChannelInboundHandler<Frame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
                                        stream.frames.add(frame);
                                    }

                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                        if (event instanceof io.netty.channel.socket.ChannelInputShutdownReadComplete) {
                                            stream.serverFinished = true;
                                        }
                                        ctx.fireUserEventTriggered(event);
                                    }
                                });
                    }
                }).get(10, TimeUnit.SECONDS);
        return stream;
    }

    /** A further stream of this connection ({@link #openStream}). */
    static final class Stream {
        final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        volatile QuicStreamChannel channel;
        /** The server ended its side of the stream (FIN). */
        volatile boolean serverFinished;

        /** Sends a frame on this stream. */
        void send(Frame frame) {
            channel.writeAndFlush(frame);
        }

        /** Ends this side of the stream (FIN). */
        void finish() {
            channel.shutdownOutput();
        }

        /** True once the server ended or closed its side. */
        boolean ended() {
            return serverFinished || !channel.isActive();
        }

        /** The next frame on this stream, which must be a {@code type} and come within 30 s. */
        <T extends Frame> T expect(Class<T> type) throws InterruptedException {
            Frame frame = frames.poll(30, TimeUnit.SECONDS);
            assertThat(frame).as("expected %s on the stream (never a hang)", type.getSimpleName()).isInstanceOf(type);
            return type.cast(frame);
        }
    }

    /** HELLO, then a password login; fails the test unless AUTH_OK comes back. */
    void login(String user, String password) throws InterruptedException {
        send(new Hello(1, 0, "raw-it"));
        expect(ServerHello.class);
        send(new AuthPassword(user, Bytes.of(password.getBytes(StandardCharsets.UTF_8))));
        expect(AuthOk.class);
    }

    /** HELLO with {@code features}, then a password login; fails the test unless AUTH_OK comes back. */
    ServerHello login(String user, String password, long features) throws InterruptedException {
        send(new Hello(1, features, "raw-it"));
        ServerHello hello = expect(ServerHello.class);
        send(new AuthPassword(user, Bytes.of(password.getBytes(StandardCharsets.UTF_8))));
        expect(AuthOk.class);
        return hello;
    }

    /** Opens a further bidirectional stream (a transfer stream) whose frames from the server go to {@code into}. */
    QuicStreamChannel openStream(LinkedBlockingQueue<Frame> into) throws Exception {
        return connection.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                ch.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL),
                        new SimpleChannelInboundHandler<Frame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
                                into.add(frame);
                            }
                        });
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** The next frame from the server, which must be a {@code type} and come within 30 s (never a hang). */
    <T extends Frame> T expect(Class<T> type) throws InterruptedException {
        Frame frame = frames.poll(30, TimeUnit.SECONDS);
        assertThat(frame).as("expected %s (never a hang)", type.getSimpleName()).isInstanceOf(type);
        return type.cast(frame);
    }

    @Override
    public void close() {
        connection.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        datagram.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
