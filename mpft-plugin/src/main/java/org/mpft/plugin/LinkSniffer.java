package org.mpft.plugin;

import org.mpft.plugin.secondary.AttachHandler;
import org.mpft.plugin.secondary.ClusterLinkHandler;
import org.mpft.plugin.secondary.SecondaryRole;
import org.mpft.plugin.session.Session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;
import java.util.List;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.Hello;
import org.mpft.protocol.FrameType;
import org.mpft.transport.FrameStreamCodec;

/**
 * On a secondary, the first bidirectional stream of a connection is either a client's control stream or
 * a primary's cluster link; this handler waits for the first frame's type byte and sets the stream up for
 * the one it is (a cluster frame type: {@link ClusterLinkHandler}; anything else: the connection's
 * {@link Session}), then steps aside, passing on the bytes it held. It notes the features of a client's
 * HELLO: a client with TRANSFER_STREAMS may open further streams, each starting with ATTACH for another
 * transfer ({@link AttachHandler#acceptStream}); any other further stream is closed.
 */
final class LinkSniffer extends ByteToMessageDecoder {

    /** The features of the client's HELLO on a connection's control stream. */
    private static final AttributeKey<Long> CLIENT_FEATURES = AttributeKey.valueOf(LinkSniffer.class, "features");

    /** A HELLO longer than this is not looked into (the session's codec refuses it). */
    private static final int MAX_HELLO_BYTES = 4096;

    private final Session session;
    private final SecondaryRole role;
    private final int maxAttachments;

    /** @param maxAttachments attachments in progress at once on one connection ({@code mpft.max-concurrent-transfers}) */
    LinkSniffer(Session session, SecondaryRole role, int maxAttachments) {
        this.session = session;
        this.role = role;
        this.maxAttachments = maxAttachments;
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
        } else if (type == FrameType.HELLO.wireValue() && !helloRead(stream, in)) {
            return; // the rest of the HELLO is still on its way
        } else if (!session.acceptControlStream(stream) && !furtherAttachment(stream, type)) {
            in.skipBytes(in.readableBytes());
            stream.close();
            return;
        }
        ctx.pipeline().remove(this);
    }

    /**
     * Notes the features of a client's HELLO (the first frame of its control stream); false while the frame is
     * not complete yet.
     */
    private static boolean helloRead(QuicStreamChannel stream, ByteBuf in) {
        int length = in.getInt(in.readerIndex());
        if (length < 0 || length > MAX_HELLO_BYTES) {
            return true; // not looked into: the session refuses it
        }
        if (in.readableBytes() < FrameCodec.LENGTH_FIELD_BYTES + length) {
            return false;
        }
        try {
            Frame frame = FrameCodec.decodeNext(in.nioBuffer(), FrameType.Link.CONTROL);
            if (frame instanceof Hello hello) {
                stream.parent().attr(CLIENT_FEATURES).setIfAbsent(hello.features());
            }
        } catch (org.mpft.protocol.ProtocolException e) {
            // the session's codec refuses it with a proper error
        }
        return true;
    }

    /** A further stream starting with ATTACH from a client with TRANSFER_STREAMS: another attachment. */
    private boolean furtherAttachment(QuicStreamChannel stream, int type) {
        Long features = stream.parent().attr(CLIENT_FEATURES).get();
        return features != null && Features.has(features, Features.TRANSFER_STREAMS)
                && type == FrameType.ATTACH.wireValue() && AttachHandler.acceptStream(stream, maxAttachments);
    }
}
