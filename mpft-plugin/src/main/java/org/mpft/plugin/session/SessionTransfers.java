package org.mpft.plugin.session;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import java.util.List;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.plugin.control.StreamPriorities;
import org.mpft.plugin.primary.PrimaryTransfer;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Open;
import org.mpft.transport.FrameStreamCodec;

/**
 * The transfers of one logged-in session: a {@link TransferConversation} on the control stream and one on each
 * transfer stream the client opened. Counts the session's OPENs over every stream ({@code
 * mpft.max-transfers-per-session}) and the transfers in progress at once ({@code mpft.max-concurrent-transfers}).
 * The per-connection budgets (bytes in flight, send budget) are the connection's, shared by these transfers.
 * Event loop only.
 */
final class SessionTransfers {

    private final Session session;
    private final Sessions shared;
    private final QuicChannel connection;
    private final Principal user;
    private final long features;
    /** The control stream's conversation first, then one per open transfer stream. */
    private final List<TransferConversation> conversations = new ArrayList<>();
    private int opens;

    SessionTransfers(Session session, Sessions shared, QuicChannel connection, Principal user, long features,
                     QuicStreamChannel control) {
        this.session = session;
        this.shared = shared;
        this.connection = connection;
        this.user = user;
        this.features = features;
        conversations.add(new TransferConversation(this, control));
    }

    /** The control stream's conversation. */
    TransferConversation control() {
        return conversations.get(0);
    }

    /** Takes a transfer stream: its frames go to a conversation of its own. */
    void accept(QuicStreamChannel stream) {
        stream.updatePriority(StreamPriorities.CONTROL);
        TransferConversation conversation = new TransferConversation(this, stream);
        stream.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL, FrameCodec.MAX_FRAME_LENGTH),
                new TransferStreamHandler(this, conversation));
        conversations.add(conversation);
    }

    /** A transfer stream ended (the client's FIN, or the stream closed): its transfer stops, the session goes on. */
    void streamEnded(TransferConversation conversation) {
        if (conversations.indexOf(conversation) > 0) {
            conversations.remove(conversation);
        }
        boolean running = conversation.inProgress();
        conversation.close(false);
        if (running) {
            transferEnded();
        }
    }

    /**
     * Counts an OPEN of any stream against {@code mpft.max-transfers-per-session}. Over it, the session takes
     * no further transfer: with none in progress it ends at once; else the transfers in progress finish
     * first, this OPEN (and any later one) is refused, and the session ends with the last of them.
     *
     * @return null when the OPEN may go on, else the refusal to answer on its stream
     * @throws MpftException LIMIT_EXCEEDED over the limit with no transfer in progress (the session ends)
     */
    MpftException countOpen() throws MpftException {
        int allowed = shared.limits().maxTransfersPerSession();
        if (++opens <= allowed) {
            return null;
        }
        MpftException over = new MpftException(ErrorCode.LIMIT_EXCEEDED, shared.settings().name() + " allows "
                + allowed + " transfers per session (mpft.max-transfers-per-session); connect again");
        if (inProgress() == 0) {
            throw over;
        }
        return over;
    }

    /** A transfer ended (or its OPEN was refused): a session over its OPENs ends with its last transfer. */
    void transferEnded() {
        int allowed = shared.limits().maxTransfersPerSession();
        if (opens > allowed && inProgress() == 0) {
            session.failOn(control().stream(), ErrorCode.LIMIT_EXCEEDED, shared.settings().name() + " allows "
                    + allowed + " transfers per session (mpft.max-transfers-per-session); connect again");
        }
    }

    /** The most transfers in progress at once on this connection ({@code mpft.max-concurrent-transfers}). */
    int maxConcurrentTransfers() {
        return shared.limits().maxConcurrentTransfers();
    }

    /** Transfers being opened or running on this connection now, over all its streams. */
    int inProgress() {
        int running = 0;
        for (TransferConversation conversation : conversations) {
            running += conversation.inProgress() ? 1 : 0;
        }
        return running;
    }

    /** The instance's name, for messages. */
    String serverName() {
        return shared.settings().name();
    }

    /** The logged-in user. */
    Principal user() {
        return user;
    }

    /** Opens the host's files (on the I/O pool). */
    FileOpener opener() {
        return shared.opener();
    }

    /** Starts the transfer of an opened file for {@code conversation}, which answers on its own stream. */
    PrimaryTransfer open(TransferConversation conversation, Open open, ReadableFile file) {
        return shared.transfers().open(connection, conversation, user, open, file, features);
    }

    /** Runs {@code task} on the I/O pool; the connection closes when the pool refuses it. */
    void blocking(Runnable task) {
        session.blocking(task);
    }

    /** Runs {@code task} on the connection's event loop; false when the loop no longer takes work. */
    boolean onLoop(Runnable task) {
        return session.onLoopOf(task);
    }

    /** Answers ERROR on {@code stream} and ends the session. */
    void failOn(QuicStreamChannel stream, ErrorCode code, String message) {
        session.failOn(stream, code, message);
    }

    /** Stops every transfer ({@code connectionLost}: as the connection closed, else as aborted). */
    void closeAll(boolean connectionLost) {
        for (TransferConversation conversation : List.copyOf(conversations)) {
            conversation.close(connectionLost);
        }
        conversations.clear();
    }
}
