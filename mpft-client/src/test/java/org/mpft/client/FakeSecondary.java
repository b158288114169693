package org.mpft.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Attached;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.FrameStreamCodec;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.RetryTokens;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.TransportSettings;

/**
 * A stand-in for a secondary over real QUIC: answers HELLO with SERVER_HELLO and every ATTACH (on the control
 * stream or a further one) with ATTACHED for the transferId its ticket holds ({@link #ticket}). The real
 * secondary lives in mpft-plugin, which this module's tests cannot depend on; the client's side is the real one.
 */
final class FakeSecondary implements AutoCloseable {

    private final Channel channel;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Long> attaches = new CopyOnWriteArrayList<>();

    FakeSecondary(QuicTransport transport, TlsIdentity identity, TransportSettings settings) throws Exception {
        channel = transport.bindServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                QuicTls.serverContext(identity), settings,
                new RetryTokens(() -> false, System::currentTimeMillis, new SecureRandom()),
                new Counting(connections), new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel stream) {
                        stream.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL),
                                new Answering(attaches));
                    }
                }).sync().channel();
    }

    /** A ticket this secondary accepts for {@code transferId}. */
    static Bytes ticket(long transferId) {
        return Bytes.of(ByteBuffer.allocate(Long.BYTES).putLong(transferId).array());
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The QUIC connections made to it so far. */
    int connections() {
        return connections.get();
    }

    /** The transferIds of the ATTACH frames it answered, in order. */
    List<Long> attaches() {
        return List.copyOf(attaches);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }

    @ChannelHandler.Sharable
    private static final class Counting extends ChannelInboundHandlerAdapter {
        private final AtomicInteger connections;

        Counting(AtomicInteger connections) {
            this.connections = connections;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connections.incrementAndGet();
            ctx.fireChannelActive();
        }
    }

    private static final class Answering extends SimpleChannelInboundHandler<Frame> {
        private final List<Long> attaches;

        Answering(List<Long> attaches) {
            this.attaches = attaches;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            if (frame instanceof Hello) {
                ctx.writeAndFlush(new ServerHello(FrameCodec.PROTOCOL_VERSION,
                        Features.MULTI_PATH | Features.TRANSFER_STREAMS, Bytes.of(new byte[32]), "fake-secondary"));
            } else if (frame instanceof Attach attach) {
                long transferId = ByteBuffer.wrap(attach.ticket().toByteArray()).getLong();
                attaches.add(transferId);
                ctx.writeAndFlush(new Attached(transferId));
            }
        }

        /** The client's FIN ends an attachment: answered with FIN, as the real secondary does. */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownReadComplete) {
                ((QuicStreamChannel) ctx.channel()).shutdownOutput();
                return;
            }
            ctx.fireUserEventTriggered(event);
        }
    }
}
