package org.mpft.plugin;

import org.mpft.plugin.secondary.ClusterLinkHandler;
import org.mpft.plugin.secondary.SecondaryRole;
import org.mpft.plugin.session.Session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.List;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.transport.FrameStreamCodec;

/**
 * On a secondary, the first bidirectional stream of a connection is either a client's control stream or
 * a primary's cluster link; this handler waits for the first frame's type byte and sets the stream up for
 * the one it is (a cluster frame type: {@link ClusterLinkHandler}; anything else: the connection's
 * {@link Session}), then steps aside, passing on the bytes it held.
 */
final class LinkSniffer extends ByteToMessageDecoder {

    private final Session session;
    private final SecondaryRole role;

    LinkSniffer(Session session, SecondaryRole role) {
        this.session = session;
        this.role = role;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD_BYTES + 1) {
            return;
        }
        int type = in.getUnsignedByte(in.readerIndex() + FrameCodec.LENGTH_FIELD_BYTES);
        QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
        boolean cluster;
        try {
            cluster = FrameType.fromWire(type).link() == FrameType.Link.CLUSTER;
        } catch (org.mpft.protocol.ProtocolException e) {
            cluster = false; // the session's codec refuses it with a proper error
        }
        if (cluster) {
            if (!session.servesClusterLink()) {
                // over the budget of connections not logged in: closed as before any login
                in.skipBytes(in.readableBytes());
                stream.parent().close();
                return;
            }
            stream.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CLUSTER),
                    new ClusterLinkHandler((QuicChannel) stream.parent(), role));
        } else if (!session.acceptControlStream(stream)) {
            in.skipBytes(in.readableBytes());
            stream.close();
            return;
        }
        ctx.pipeline().remove(this);
    }
}
