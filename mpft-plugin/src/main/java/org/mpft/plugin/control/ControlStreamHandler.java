package org.mpft.plugin.control;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.ProtocolException;
import org.mpft.transport.EventLoops;
import org.mpft.transport.FrameStreamCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of a handler on a client's control stream: how the conversation ends, the same for every role.
 * A frame the stream's codec cannot decode is a protocol error ({@link #fail} with PROTOCOL_ERROR); the
 * client's end of stream ends the conversation at once ({@link #connectionClosed}, then the connection is
 * closed, so its slots are free before QUIC's drain); an inactive stream closes the connection. Subclasses
 * run on the connection's event loop.
 */
public abstract class ControlStreamHandler extends SimpleChannelInboundHandler<Frame> {

    /** How long the server waits for the client to close after a fatal ERROR before closing itself, ms. */
    public static final long CLOSE_GRACE_MS = 2000;

    private final Logger log = LoggerFactory.getLogger(getClass());

    /** The client's connection. */
    protected final QuicChannel connection;

    /** @param connection the client's connection */
    protected ControlStreamHandler(QuicChannel connection) {
        super(Frame.class);
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /** Answers with ERROR and ends the conversation. Idempotent; event loop. */
    protected abstract void fail(ErrorCode code, String message);

    /** The conversation is over (the client finished it or the connection closed): release what it holds. Idempotent. */
    protected abstract void connectionClosed();

    /**
     * Writes ERROR({@code code}, {@code message}) on {@code control} and half-closes it; the connection is
     * closed by the client, or by the server after {@link #CLOSE_GRACE_MS}. Without an active control stream
     * the connection is closed at once.
     */
    protected final void sendErrorAndClose(QuicStreamChannel control, ErrorCode code, String message) {
        if (control == null || !control.isActive()) {
            connection.close();
            return;
        }
        control.writeAndFlush(ErrorFrame.of(code, message)).addListener(f -> control.shutdownOutput());
        connection.eventLoop().schedule(() -> {
            connection.close();
        }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /** Queues {@code task} on the connection's event loop; false when the loop no longer takes work. */
    protected final boolean onLoop(Runnable task) {
        return EventLoops.tryExecute(connection.eventLoop(), task);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException protocol = FrameStreamCodec.protocolError(cause);
        if (protocol != null) {
            fail(ErrorCode.PROTOCOL_ERROR, protocol.getMessage());
        } else {
            log.debug("control stream of {} failed", connection.remoteSocketAddress(), cause);
            connection.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownReadComplete) {
            connectionClosed(); // the client finished the conversation: free its slots now, not after QUIC's drain
            connection.close();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.close();
        ctx.fireChannelInactive();
    }
}
