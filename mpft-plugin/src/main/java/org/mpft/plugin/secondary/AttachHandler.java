package org.mpft.plugin.secondary;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.mpft.plugin.control.ControlStreamHandler;
import org.mpft.plugin.send.QuicChunkOutlet;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Attached;
import org.mpft.protocol.Cancel;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Frame;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Nack;
import org.mpft.protocol.Open;
import org.mpft.protocol.ProtocolException;
import org.mpft.protocol.Start;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control stream of a client that attached to this secondary with a ticket (ATTACH instead of a
 * login): checks the ticket through the {@link SecondaryRole}, answers ATTACHED, then serves the client's
 * NACKs of chunks the primary assigned here; CANCEL closes the connection. It takes over the stream from
 * the session after HELLO; a refused ticket is answered with ERROR after {@code mpft.auth-failure-delay}.
 * Runs on the connection's event loop.
 */
public final class AttachHandler extends ControlStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AttachHandler.class);


    private final QuicStreamChannel control;
    private final SecondaryRole role;
    private final Executor io;
    private final Duration failureDelay;
    private final Runnable ended;
    private SecondaryRole.Serving serving;
    private boolean attaching;
    private boolean closed;

    /**
     * @param connection   the client's connection
     * @param control      its control stream (this handler sits on it)
     * @param role         the secondary's role, which checks tickets and serves chunks
     * @param io           runs the ticket check off the event loop
     * @param failureDelay how long a refused ticket waits before its ERROR ({@code mpft.auth-failure-delay})
     * @param ended        called once the conversation is over (the session stops counting against limits)
     */
    public AttachHandler(QuicChannel connection, QuicStreamChannel control, SecondaryRole role, Executor io,
                         Duration failureDelay, Runnable ended) {
        super(connection);
        this.control = control;
        this.role = role;
        this.io = io;
        this.failureDelay = failureDelay;
        this.ended = ended;
        connection.closeFuture().addListener(f -> onLoop(this::connectionClosed));
    }

    /** Checks {@code attach}'s ticket, off the loop; the client hears ATTACHED or, after a delay, ERROR. */
    public void attach(Attach attach) {
        attaching = true;
        try {
            io.execute(() -> {
                try {
                    SecondaryRole.Serving s = role.attach(attach.ticket(), connection,
                            new QuicChunkOutlet(connection));
                    if (!onLoop(() -> attached(s))) {
                        role.detach(s);
                    }
                } catch (MpftException e) {
                    LOG.info("attach from {} refused: {}", connection.remoteSocketAddress(), LogText.quote(e.getMessage()));
                    connection.eventLoop().schedule(() -> fail(e.code(), e.getMessage()),
                            failureDelay.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        } catch (RejectedExecutionException e) {
            connection.close();
        }
    }

    private void attached(SecondaryRole.Serving s) {
        if (closed) {
            role.detach(s);
            return;
        }
        attaching = false;
        serving = s;
        control.writeAndFlush(new Attached(s.registered().transferId()));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (closed) {
            return;
        }
        try {
            if (attaching) {
                throw new ProtocolException("unexpected " + frame.type() + " frame in state AUTHENTICATING");
            }
            onFrame(frame);
        } catch (MpftException e) {
            fail(e.code(), e.getMessage());
        }
    }

    private void onFrame(Frame frame) throws MpftException {
        if (frame instanceof Nack nack && nack.transferId() == serving.registered().transferId()) {
            role.resend(serving, nack.chunk());
        } else if (frame instanceof Cancel) {
            connection.close();
        } else if (frame instanceof Ack || frame instanceof Nack || frame instanceof Start || frame instanceof Open) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "a client attached to " + role.name()
                    + " only receives the chunks its primary assigns (got " + frame.type() + ")");
        } else {
            throw new ProtocolException("unexpected " + frame.type() + " frame in state ATTACHED");
        }
    }

    /** The conversation is over: the client is detached and the session's slot freed. Idempotent; event loop. */
    @Override
    protected void connectionClosed() {
        closed = true;
        ended.run();
        if (serving != null) {
            role.detach(serving);
            serving = null;
        }
    }

    /** Answers with ERROR and closes the connection (the client closes first, or the server after a grace). */
    @Override
    protected void fail(ErrorCode code, String message) {
        if (closed) {
            return;
        }
        closed = true;
        ended.run();
        sendErrorAndClose(control, code, message);
    }
}
