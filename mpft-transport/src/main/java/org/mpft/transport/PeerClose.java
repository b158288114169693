package org.mpft.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;

/**
 * On a client connection ({@link QuicTransport#connect}): when the server's CONNECTION_CLOSE arrives, the
 * connection's own datagram channel is closed, which ends the connection at once. Without it the connection
 * would only close after QUIC's draining period (three probe timeouts: 0.1 s on loopback, much more on a long
 * or loaded path), and whoever waits for its close (the client after DONE, a cluster link noticing that its
 * secondary went away) would wait that long for nothing: a connection in the draining state can neither send
 * nor receive anything more. The close runs as a separate task, after the frames of the same packet (the
 * server's last stream data) have been read. One instance per connection; the datagram channel must carry no
 * other connection.
 */
final class PeerClose extends ChannelInboundHandlerAdapter {

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof QuicConnectionCloseEvent) {
            Channel datagram = ctx.channel().parent();
            if (datagram != null) {
                ctx.channel().eventLoop().execute(datagram::close);
            }
        }
        super.userEventTriggered(ctx, event);
    }
}
