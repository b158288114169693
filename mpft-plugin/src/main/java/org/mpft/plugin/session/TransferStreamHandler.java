package org.mpft.plugin.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Frame;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.ProtocolException;
import org.mpft.transport.FrameStreamCodec;

/**
 * The handler of a transfer stream: a further client-opened bidirectional stream of a logged-in session that
 * carries one {@link TransferConversation} after another. A frame out of order or one the codec cannot decode
 * ends the session (ERROR on this stream, then the connection closes); the client's end of stream ends only
 * this stream's conversation (a transfer in progress on it is stopped) and the server closes its side. Event
 * loop only.
 */
final class TransferStreamHandler extends SimpleChannelInboundHandler<Frame> {

    private final SessionTransfers session;
    private final TransferConversation conversation;

    TransferStreamHandler(SessionTransfers session, TransferConversation conversation) {
        super(Frame.class);
        this.session = session;
        this.conversation = conversation;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        try {
            conversation.handle(frame);
        } catch (MpftException e) {
            session.failOn(conversation.stream(), e.code(), e.getMessage());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException protocol = FrameStreamCodec.protocolError(cause);
        if (protocol != null) {
            session.failOn(conversation.stream(), ErrorCode.PROTOCOL_ERROR, protocol.getMessage());
        } else {
            session.streamEnded(conversation);
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownReadComplete) {
            session.streamEnded(conversation); // the client is done with this stream: so is the server
            conversation.stream().shutdownOutput();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.streamEnded(conversation);
        ctx.fireChannelInactive();
    }
}
