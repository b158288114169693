package org.mpft.plugin.session;

import io.netty.handler.codec.quic.QuicStreamChannel;
import org.mpft.api.ReadableFile;
import org.mpft.plugin.primary.PrimaryTransfer;
import org.mpft.plugin.primary.TransferControl;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Open;
import org.mpft.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-transfer conversation of one stream of a logged-in session (the control stream, or a transfer
 * stream): {@code OPEN -> META ... | ERROR}, then the {@link PrimaryTransfer}'s frames up to DONE or CANCEL,
 * after which the stream takes another OPEN. Every answer goes on this stream. An OPEN over the session's
 * {@code mpft.max-concurrent-transfers} is refused with ERROR(LIMIT_EXCEEDED) and the stream stays usable; a
 * frame out of order fails the whole session (the {@link Session} decides). Event loop only.
 */
final class TransferConversation implements TransferControl {

    private static final Logger LOG = LoggerFactory.getLogger(TransferConversation.class);

    private enum State { IDLE, OPENING, TRANSFER, CLOSED }

    private final SessionTransfers session;
    private final QuicStreamChannel stream;
    private State state = State.IDLE;
    private PrimaryTransfer transfer;

    /**
     * @param session the transfers of the logged-in session the stream belongs to
     * @param stream  where this conversation's frames arrive and its answers go
     */
    TransferConversation(SessionTransfers session, QuicStreamChannel stream) {
        this.session = session;
        this.stream = stream;
    }

    /** True between transfers: the stream waits for an OPEN (a LIST on the control stream is taken then too). */
    boolean idle() {
        return state == State.IDLE;
    }

    /** True while an OPEN is being opened or its transfer runs: it counts against the concurrent transfers. */
    boolean inProgress() {
        return state == State.OPENING || state == State.TRANSFER;
    }

    /**
     * Takes a frame of this stream.
     *
     * @throws MpftException a frame out of order (PROTOCOL_ERROR) or an OPEN over the session's total of
     *                       OPENs (LIMIT_EXCEEDED): the caller ends the session
     */
    void handle(Frame frame) throws MpftException {
        switch (state) {
            case IDLE -> onOpen(expectOpen(frame));
            case TRANSFER -> {
                if (transfer.handle(frame)) {
                    transfer = null;
                    state = State.IDLE;
                    session.transferEnded();
                }
            }
            case CLOSED -> { }
            default -> throw unexpected(frame);
        }
    }

    private Open expectOpen(Frame frame) throws ProtocolException {
        if (frame instanceof Open open) {
            return open;
        }
        throw unexpected(frame);
    }

    ProtocolException unexpected(Frame frame) {
        return new ProtocolException("unexpected " + frame.type() + " frame in state " + state);
    }

    private void onOpen(Open open) throws MpftException {
        MpftException over = session.countOpen();
        if (over != null) {
            // the session's last OPENs: it ends once the transfers in progress have
            write(ErrorFrame.of(over.code(), over.getMessage()));
            return;
        }
        int allowed = session.maxConcurrentTransfers();
        if (session.inProgress() >= allowed) {
            // the stream and the session go on: the client opens this file once another transfer ended
            write(ErrorFrame.of(ErrorCode.LIMIT_EXCEEDED, session.serverName() + " runs " + allowed
                    + " transfers at once per connection (mpft.max-concurrent-transfers); open this file when one"
                    + " ended"));
            return;
        }
        state = State.OPENING;
        session.blocking(() -> {
            ReadableFile file;
            try {
                file = session.opener().open(session.user(), open.path());
            } catch (MpftException e) {
                session.onLoop(() -> openRefused(open.path(), e));
                return;
            }
            if (!session.onLoop(() -> opened(open, file))) {
                FileOpener.closeQuietly(file);
            }
        });
    }

    private void openRefused(String path, MpftException e) {
        if (state != State.OPENING) {
            return;
        }
        LOG.info("{} may not download {}: {}", LogText.quote(session.user().name()), LogText.quote(path),
                LogText.quote(e.getMessage()));
        state = State.IDLE;
        write(ErrorFrame.of(e.code(), e.getMessage()));
        session.transferEnded();
    }

    private void opened(Open open, ReadableFile file) {
        if (state != State.OPENING) {
            FileOpener.closeQuietly(file);
            return;
        }
        state = State.TRANSFER;
        transfer = session.open(this, open, file);
    }

    /**
     * Ends the conversation: a transfer in progress is stopped ({@code connectionLost}: as the connection
     * closed, else as aborted). Idempotent.
     */
    void close(boolean connectionLost) {
        state = State.CLOSED;
        if (transfer != null) {
            if (connectionLost) {
                transfer.connectionClosed();
            } else {
                transfer.close();
            }
            transfer = null;
        }
    }

    /** The stream this conversation answers on. */
    QuicStreamChannel stream() {
        return stream;
    }

    /** Writes {@code frame} on this conversation's stream. */
    @Override
    public void write(Frame frame) {
        if (state != State.CLOSED) {
            stream.writeAndFlush(frame);
        }
    }

    /** The transfer failed beyond repair: ERROR on this stream, and the session ends. */
    @Override
    public void fail(ErrorCode code, String message) {
        session.failOn(stream, code, message);
    }
}
