package org.mpft.plugin.secondary;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.mpft.plugin.control.ControlStreamHandler;
import org.mpft.plugin.send.QuicChunkOutlet;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Attached;
import org.mpft.protocol.Cancel;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Nack;
import org.mpft.protocol.Open;
import org.mpft.protocol.ProtocolException;
import org.mpft.protocol.Start;
import org.mpft.transport.FrameStreamCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attachment of a client to this secondary with a ticket (ATTACH instead of a login): checks the ticket
 * through the {@link SecondaryRole}, answers ATTACHED, then serves the client's NACKs of chunks the primary
 * assigned here. The first attachment sits on the control stream (it takes over the stream from the session
 * after HELLO; CANCEL or the client's FIN there closes the connection). A client with TRANSFER_STREAMS
 * attaches further transfers on further streams of the same connection ({@link #acceptStream}): there
 * CANCEL or the client's FIN ends only that attachment and the stream, never the connection. A refused ticket
 * is answered with ERROR after {@code mpft.auth-failure-delay} and closes the connection (a bad ticket is
 * hostile). Runs on the connection's event loop.
 */
public final class AttachHandler extends ControlStreamHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AttachHandler.class);

    private final QuicStreamChannel stream;
    private final SecondaryRole role;
    private final Duration failureDelay;
    private final Runnable ended;
    /** False on the control stream; true on a further stream, whose end ends only this attachment. */
    private final boolean further;
    private final ConnectionAttachments attachments;
    private SecondaryRole.Serving serving;
    private boolean attaching;
    private boolean closed;

    /**
     * The attachment on a client's control stream.
     *
     * @param connection   the client's connection
     * @param control      its control stream (this handler sits on it)
     * @param role         the secondary's role, which checks tickets and serves chunks
     * @param failureDelay how long a refused ticket waits before its ERROR ({@code mpft.auth-failure-delay})
     * @param ended        called once the conversation is over (the session stops counting against limits)
     */
    public AttachHandler(QuicChannel connection, QuicStreamChannel control, SecondaryRole role,
                         Duration failureDelay, Runnable ended) {
        this(connection, control, role, failureDelay, ended, false);
    }

    private AttachHandler(QuicChannel connection, QuicStreamChannel stream, SecondaryRole role,
                          Duration failureDelay, Runnable ended, boolean further) {
        super(connection);
        this.stream = stream;
        this.role = role;
        this.failureDelay = failureDelay;
        this.ended = ended;
        this.further = further;
        this.attachments = ConnectionAttachments.of(connection);
        attachments.add(this, !further);
        connection.closeFuture().addListener(f -> onLoop(this::connectionClosed));
    }

    /**
     * A further bidirectional stream of a client connection whose client announced TRANSFER_STREAMS: when a
     * client attached on the connection's control stream already, the stream becomes another attachment (its
     * first frame must be ATTACH); over {@code maxAttachments} in progress it gets ERROR(LIMIT_EXCEEDED) and is
     * closed. Event loop.
     *
     * @return false when no client attached on the connection (the caller refuses the stream as it would any)
     */
    public static boolean acceptStream(QuicStreamChannel stream, int maxAttachments) {
        QuicChannel connection = (QuicChannel) stream.parent();
        ConnectionAttachments existing = ConnectionAttachments.existing(connection);
        AttachHandler control = existing == null ? null : existing.control();
        if (control == null || control.closed) {
            return false;
        }
        if (existing.inProgress() >= maxAttachments) {
            LOG.info("attach from {} refused: {} attachments in progress on its connection (mpft.max-concurrent-transfers)",
                    connection.remoteSocketAddress(), maxAttachments);
            ErrorFrame refusal = ErrorFrame.of(ErrorCode.LIMIT_EXCEEDED, control.role.name() + " serves "
                    + maxAttachments + " attachments at once on one connection (mpft.max-concurrent-transfers)");
            // encoded here, no codec on the stream: whatever the client sends on it is dropped, not parsed
            stream.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.encode(refusal))).addListener(f -> stream.close());
            return true;
        }
        AttachHandler handler = new AttachHandler(connection, stream, control.role, control.failureDelay,
                () -> { }, true);
        stream.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL), handler);
        return true;
    }

    /**
     * Checks {@code attach}'s ticket; the client hears ATTACHED, at once or once its registration is made, or, after
     * a delay, ERROR. Nothing here blocks: an attach that waits for its registration holds no thread, and the wait's
     * end is a timer on the connection's event loop.
     */
    public void attach(Attach attach) {
        attaching = true;
        role.attach(attach.ticket(), connection, new QuicChunkOutlet(connection), this::afterWait)
                .whenComplete((s, failure) -> {
                    if (failure == null) {
                        if (!onLoop(() -> attached(s))) {
                            role.detach(s);
                        }
                        return;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof MpftException e) {
                        LOG.info("attach from {} refused: {}", connection.remoteSocketAddress(),
                                LogText.quote(e.getMessage()));
                        afterWait(failureDelay.toMillis(), () -> fail(e.code(), e.getMessage()));
                    } else {
                        LOG.warn("attach from {} failed", connection.remoteSocketAddress(), cause);
                        connection.close();
                    }
                });
    }

    /** Runs {@code task} on the connection's event loop {@code millis} from now, or at once if the loop has stopped. */
    private void afterWait(long millis, Runnable task) {
        try {
            connection.eventLoop().schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private void attached(SecondaryRole.Serving s) {
        if (closed) {
            role.detach(s);
            return;
        }
        attaching = false;
        serving = s;
        stream.writeAndFlush(new Attached(s.registered().transferId()));
    }

    /** True while the ticket is checked or the attached transfer goes on (the primary has not ended it). */
    boolean inProgress() {
        return !closed && (attaching || serving != null && !serving.ended());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (closed) {
            return;
        }
        try {
            if (further && serving == null && !attaching && frame instanceof Attach attach) {
                attach(attach);
                return;
            }
            if (attaching || serving == null) {
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
            if (further) {
                endAttachment();
            } else {
                connection.close();
            }
        } else if (frame instanceof Ack || frame instanceof Nack || frame instanceof Start || frame instanceof Open) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "a client attached to " + role.name()
                    + " only receives the chunks its primary assigns (got " + frame.type() + ")");
        } else {
            throw new ProtocolException("unexpected " + frame.type() + " frame in state ATTACHED");
        }
    }

    /**
     * The client ended this further attachment (FIN or CANCEL on its stream): only its transfer is detached
     * and the stream closed; the connection and its other attachments go on.
     */
    private void endAttachment() {
        release();
        stream.shutdownOutput().addListener(f -> stream.close());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (further && event instanceof ChannelInputShutdownReadComplete) {
            endAttachment();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (further) {
            release(); // this stream only: the connection carries the other attachments on
            ctx.fireChannelInactive();
            return;
        }
        super.channelInactive(ctx);
    }

    /** The conversation is over: the client is detached and the session's slot freed. Idempotent; event loop. */
    @Override
    protected void connectionClosed() {
        release();
    }

    private void release() {
        closed = true;
        attachments.remove(this);
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
        attachments.remove(this);
        ended.run();
        sendErrorAndClose(stream, code, message);
    }
}
