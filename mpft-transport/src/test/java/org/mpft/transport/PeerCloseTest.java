package org.mpft.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real QUIC connection over loopback that the server closes: the client's connection and its datagram channel
 * close on the server's CONNECTION_CLOSE, without waiting out QUIC's draining period.
 */
@Timeout(60)
class PeerCloseTest {

    @Test
    void theServersCloseClosesTheClientsDatagramChannel() throws Exception {
        TlsIdentity identity = TlsIdentity.generate("peer-close-test");
        TransportSettings settings = TransportSettings.defaults();
        CompletableFuture<QuicChannel> accepted = new CompletableFuture<>();
        try (QuicTransport server = QuicTransport.create("peer-close-server", 1);
             QuicTransport client = QuicTransport.create("peer-close-client", 1)) {
            Channel bound = server.bindServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    QuicTls.serverContext(identity), settings,
                    new RetryTokens(() -> false, System::currentTimeMillis, new SecureRandom()),
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            accepted.complete((QuicChannel) ctx.channel());
                            ctx.fireChannelActive();
                        }
                    }, new ChannelInboundHandlerAdapter()).sync().channel();
            Channel datagram = client.bindClient(null, QuicTls.clientContext(sha -> { }), settings).sync().channel();
            QuicChannel connection = client.connect(datagram, (InetSocketAddress) bound.localAddress(), settings,
                    new ChannelInboundHandlerAdapter(), new ChannelInboundHandlerAdapter()).get(30, TimeUnit.SECONDS);
            assertTrue(datagram.isOpen());

            accepted.get(30, TimeUnit.SECONDS).close().sync();

            // the limit bounds a hang only; without the early close the datagram channel stays open for good
            assertTrue(datagram.closeFuture().await(30, TimeUnit.SECONDS), "the client's datagram channel closed");
            assertTrue(connection.closeFuture().await(30, TimeUnit.SECONDS), "the client's connection closed");
        }
    }
}
