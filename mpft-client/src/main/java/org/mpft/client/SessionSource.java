package org.mpft.client;

import java.time.Duration;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mpft.protocol.Done;
import org.mpft.protocol.MpftException;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * Gives a download a {@link TransferLane} of a logged-in {@link ClientSession}. A single download gets a new
 * session for each attempt and ends it with its DONE ({@link #single}); the batch workers of one session keep it
 * from file to file, each transfer on a lane of its own (up to {@code lanes} at once when the server speaks
 * transfer streams), and open a new one only when it died or was refused ({@link #kept}). Also owns the bound
 * on buffered chunk bytes that the downloads of its sessions share. Thread-safe.
 */
final class SessionSource implements AutoCloseable {

    private final QuicTransport transport;
    private final TransportSettings settings;
    private final boolean keep;
    private final ReceiveBudget budget = new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES);
    private final Lock logins;
    private final int lanes;
    private ClientSession current;

    private SessionSource(QuicTransport transport, TransportSettings settings, boolean keep, Lock logins, int lanes) {
        this.logins = logins;
        this.lanes = lanes;
        this.transport = transport;
        this.settings = settings;
        this.keep = keep;
    }

    /** A source for one download: a new session per attempt, closed after its transfer. */
    static SessionSource single(QuicTransport transport, TransportSettings settings) {
        return new SessionSource(transport, settings, false, new ReentrantLock(), 1);
    }

    /**
     * A source that keeps its session for the next download while it stays usable.
     *
     * @param logins shared by the sources of one batch: their logins go one after another (the server refuses
     *               a second login of a user from an address while one is under way)
     * @param lanes  transfers at once on the session (its downloads run on as many threads)
     */
    static SessionSource kept(QuicTransport transport, TransportSettings settings, Lock logins, int lanes) {
        return new SessionSource(transport, settings, true, logins, lanes);
    }

    /** The chunk bytes buffered at once, over every stream of every server of this source's downloads. */
    ReceiveBudget budget() {
        return budget;
    }

    /**
     * A lane of a logged-in session for {@code request}, taken by a transfer at once (see
     * {@link ClientSession#lane}): of the kept session if it is still alive, else of a new one. Waits while
     * every lane of the session is busy.
     *
     * @param connectTimeout how long the handshake may take
     * @param timeout        how long the server may stay silent during the login
     */
    TransferLane acquire(DownloadRequest request, Duration connectTimeout, Duration timeout,
                         Consumer<DownloadEvent> sink, Supplier<ChunkVerifier> verifier)
            throws MpftException, InterruptedException {
        while (true) {
            ClientSession session = session(request, connectTimeout, timeout);
            TransferLane lane = session.lane(sink, verifier);
            if (lane != null) {
                return lane;
            }
        }
    }

    private synchronized ClientSession session(DownloadRequest request, Duration connectTimeout, Duration timeout)
            throws MpftException, InterruptedException {
        if (current != null && !current.alive()) {
            current.retire(); // a draining one ends with its last transfer
            current = null;
        }
        if (current == null) {
            current = ClientSession.open(transport, settings, request, budget, logins, lanes, connectTimeout,
                    timeout);
        }
        return current;
    }

    /**
     * The transfer succeeded: sends its DONE. A single download's session then ends (FIN, and up to
     * {@code grace} for the server to close); a kept one waits for the next transfer.
     */
    void finish(TransferLane lane, Done done, Duration grace) throws InterruptedException {
        if (keep) {
            lane.send(done);
        } else {
            lane.session().connection().finish(done, grace);
        }
    }

    /**
     * The transfer on {@code lane} ended, {@code succeeded} when with DONE. A kept session's lane waits for the
     * next transfer when the server is ready for another OPEN on it (after DONE, or after a refused OPEN);
     * anything else closes the lane's stream, or the session when it is the control stream.
     */
    void release(TransferLane lane, boolean succeeded) {
        ClientSession session = lane.session();
        session.release(lane, keep && (succeeded || lane.openRefused()));
        if (!keep) {
            session.close();
        }
        synchronized (this) {
            if (session == current && !session.alive()) {
                current = null;
            }
        }
    }

    /** Ends the kept session, if any, once the server read what was sent on it (see {@link ClientSession#end}). */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.end(DownloadTask.DONE_GRACE);
            current = null;
        }
    }
}
