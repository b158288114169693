package org.mpft.client;

import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.FileDigest;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.Meta;

/**
 * One stream of a {@link ClientSession} that carries transfers, one after another: the control stream, or a
 * transfer stream. A transfer takes it ({@link #attach}); its frames go on this stream ({@link #send}), and
 * what this stream receives, the chunks of its transfer (routed by the META's {@code transferId}, see
 * {@link TransferRoutes}) and the connection's failure go to the transfer's sink. Between transfers, chunks
 * that still arrive are released, and so are the ended transfer's CHUNK_DIGESTS that arrive before the next
 * transfer's META: the primary computes digests on a thread of its own and may send one more frame before it
 * reads the client's DONE. Thread-safe.
 */
final class TransferLane implements Consumer<DownloadEvent> {

    /** Answers to an OPEN after which the server keeps the stream for another OPEN. */
    private static final Set<ErrorCode> REFUSALS = EnumSet.of(ErrorCode.FILE_NOT_FOUND, ErrorCode.ACCESS_DENIED,
            ErrorCode.INVALID_PATH, ErrorCode.FILE_TOO_LARGE);
    private static final Supplier<ChunkVerifier> NONE = () -> null;

    private final ClientSession session;
    private final TransferRoutes routes;
    /** The transfer stream, or null for the control stream (sent on through the connection). */
    private volatile QuicStreamChannel stream;
    private volatile Consumer<DownloadEvent> sink;
    private volatile Supplier<ChunkVerifier> verifier = NONE;
    /** The first control frame since the transfer attached: META, or an ERROR refusing its OPEN. */
    private volatile Frame answer;
    private volatile long transferId = -1;
    /** The transfer that last ended on this lane, or -1. */
    private volatile long endedTransferId = -1;
    /** The stream failed or ended: it takes no further transfer. */
    private volatile boolean broken;

    TransferLane(ClientSession session, TransferRoutes routes) {
        this.session = session;
        this.routes = routes;
    }

    /** Gives the lane its transfer stream (null: it is the control stream). */
    void stream(QuicStreamChannel stream) {
        this.stream = stream;
    }

    /** The session this lane belongs to. */
    ClientSession session() {
        return session;
    }

    /** True for the control stream. */
    boolean control() {
        return stream == null;
    }

    /** Sends a frame on this lane's stream (any thread). */
    void send(Frame frame) {
        QuicStreamChannel own = stream;
        if (own == null) {
            session.connection().send(frame);
        } else {
            own.writeAndFlush(frame);
        }
    }

    @Override
    public void accept(DownloadEvent event) {
        if (event instanceof DownloadEvent.Failed) {
            broken = true;
        }
        if (transferId < 0 && event instanceof DownloadEvent.ControlFrame late
                && (late.frame() instanceof ChunkDigests digests && digests.transferId() == endedTransferId
                || late.frame() instanceof FileDigest file && file.transferId() == endedTransferId)) {
            return; // sent before the server read that transfer's DONE or CANCEL; the next transfer's follow its META
        }
        Consumer<DownloadEvent> target = sink;
        if (target != null && answer == null && event instanceof DownloadEvent.ControlFrame control) {
            answer = control.frame();
            if (control.frame() instanceof Meta meta) {
                transferId = meta.transferId();
                routes.add(meta.transferId(), this); // before the client's START: no chunk comes earlier
            }
        }
        if (target != null) {
            target.accept(event);
        } else if (event instanceof DownloadEvent.ChunkArrived chunk) {
            chunk.release();
        }
    }

    /** The verifier of this lane's transfer (null before its META). */
    ChunkVerifier verifier() {
        return verifier.get();
    }

    /** A transfer takes the lane: what it receives goes to {@code sink}, chunks checked with {@code verifier}. */
    void attach(Consumer<DownloadEvent> sink, Supplier<ChunkVerifier> verifier) {
        answer = null;
        this.verifier = verifier;
        this.sink = sink;
    }

    /** True when the transfer's OPEN was answered with an ERROR after which the stream takes another OPEN. */
    boolean openRefused() {
        return answer instanceof ErrorFrame error && REFUSALS.contains(error.code());
    }

    /** True when the transfer's OPEN was answered ERROR(LIMIT_EXCEEDED): the server runs as many at once as it takes. */
    boolean openRefusedAsBusy() {
        return answer instanceof ErrorFrame error && error.code() == ErrorCode.LIMIT_EXCEEDED;
    }

    /** True when the transfer's OPEN was answered with an ERROR whose message names {@code text}. */
    boolean refusalNames(String text) {
        return answer instanceof ErrorFrame error && error.message().contains(text);
    }

    /** True once this lane's stream (or the connection) failed. */
    boolean broken() {
        return broken;
    }

    /** The transfer ended with DONE or a refused OPEN: the lane waits for the next one. */
    void idle() {
        sink = null;
        verifier = NONE;
        if (transferId >= 0) {
            routes.remove(transferId);
            endedTransferId = transferId;
            transferId = -1;
        }
    }

    /**
     * The session ends: FIN on this transfer stream, after every frame sent on it.
     *
     * @return completes once the server answered with its own FIN (the stream is closed); null for the control
     *         stream
     */
    ChannelFuture endStream() {
        QuicStreamChannel own = stream;
        if (own == null) {
            return null;
        }
        own.shutdownOutput();
        return own.closeFuture();
    }

    /**
     * The transfer ended otherwise: this transfer stream is closed (FIN; the server stops the transfer) and
     * never used again; chunks of the transfer still on their way are checked and released.
     */
    void abandon() {
        broken = true;
        sink = null;
        QuicStreamChannel own = stream;
        if (own != null) {
            own.shutdownOutput();
        }
    }
}
