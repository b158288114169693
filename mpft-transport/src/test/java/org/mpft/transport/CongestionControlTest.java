package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every congestion controller a transport can be created with moves data from server to client over real QUIC on
 * loopback (the codec builder takes each one), and the transport reports the one it was created with.
 */
@Timeout(60)
class CongestionControlTest {

    private static final int BYTES = 8 << 20;

    /** Answers a stream's first byte with {@link #BYTES} bytes. */
    @ChannelHandler.Sharable
    private static final class Sender extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            byte[] block = new byte[64 * 1024];
            for (int sent = 0; sent < BYTES; sent += block.length) {
                ctx.write(Unpooled.wrappedBuffer(block));
            }
            ctx.flush();
        }
    }

    @ParameterizedTest
    @EnumSource(CongestionControl.class)
    void theServerSendsWithEachController(CongestionControl controller) throws Exception {
        TlsIdentity identity = TlsIdentity.generate("cc-test");
        TransportSettings settings = TransportSettings.defaults();
        try (QuicTransport server = QuicTransport.create("cc-server", 1, controller);
             QuicTransport client = QuicTransport.create("cc-client", 1)) {
            assertThat(server.congestionControl()).isEqualTo(controller);
            assertThat(client.congestionControl()).isEqualTo(CongestionControl.BBR);
            Channel bound = server.bindServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    QuicTls.serverContext(identity), settings,
                    new RetryTokens(() -> false, System::currentTimeMillis, new SecureRandom()),
                    new ChannelInboundHandlerAdapter(), new Sender()).sync().channel();
            Channel datagram = client.bindClient(null, QuicTls.clientContext(sha -> { }), settings).sync().channel();
            QuicChannel connection = client.connect(datagram, (InetSocketAddress) bound.localAddress(), settings,
                    new ChannelInboundHandlerAdapter(), new ChannelInboundHandlerAdapter()).get(30, TimeUnit.SECONDS);
            AtomicLong received = new AtomicLong();
            CompletableFuture<Long> all = new CompletableFuture<>();
            QuicStreamChannel stream = connection.createStream(QuicStreamType.BIDIRECTIONAL,
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf buf = (ByteBuf) msg;
                            if (received.addAndGet(buf.readableBytes()) >= BYTES) {
                                all.complete(received.get());
                            }
                            buf.release();
                        }
                    }).get(30, TimeUnit.SECONDS);
            stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
            // the limit bounds a hang only
            assertThat(all.get(30, TimeUnit.SECONDS)).isEqualTo(BYTES);
            connection.close().sync();
        }
    }

    @org.junit.jupiter.api.Test
    void settingNamesAreLowerCase() {
        assertThat(CongestionControl.BBR.settingName()).isEqualTo("bbr");
        assertThat(CongestionControl.CUBIC.settingName()).isEqualTo("cubic");
        assertThat(CongestionControl.RENO.settingName()).isEqualTo("reno");
    }
}
