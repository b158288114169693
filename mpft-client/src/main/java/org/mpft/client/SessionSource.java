package org.mpft.client;

import java.time.Duration;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.mpft.protocol.Done;
import org.mpft.protocol.MpftException;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * Gives a download its logged-in {@link ClientSession}. A single download gets a new session for each attempt
 * and ends it with its DONE ({@link #single}); a batch worker keeps one session from file to file and opens a
 * new one only when it died or was refused ({@link #kept}). Also owns the bound on buffered chunk bytes that the
 * downloads of its sessions share. Used by one thread at a time.
 */
final class SessionSource implements AutoCloseable {

    private final QuicTransport transport;
    private final TransportSettings settings;
    private final boolean keep;
    private final ReceiveBudget budget = new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES);
    private final Lock logins;
    private ClientSession current;

    private SessionSource(QuicTransport transport, TransportSettings settings, boolean keep, Lock logins) {
        this.logins = logins;
        this.transport = transport;
        this.settings = settings;
        this.keep = keep;
    }

    /** A source for one download: a new session per attempt, closed after its transfer. */
    static SessionSource single(QuicTransport transport, TransportSettings settings) {
        return new SessionSource(transport, settings, false, new ReentrantLock());
    }

    /**
     * A source that keeps its session for the next download while it stays usable.
     *
     * @param logins shared by the sources of one batch: their logins go one after another (the server refuses
     *               a second login of a user from an address while one is under way)
     */
    static SessionSource kept(QuicTransport transport, TransportSettings settings, Lock logins) {
        return new SessionSource(transport, settings, true, logins);
    }

    /** The chunk bytes buffered at once, over every stream of every server of this source's downloads. */
    ReceiveBudget budget() {
        return budget;
    }

    /**
     * A logged-in session for {@code request}: the kept one if it is still alive, else a new one.
     *
     * @param connectTimeout how long the handshake may take
     * @param timeout        how long the server may stay silent during the login
     */
    ClientSession acquire(DownloadRequest request, Duration connectTimeout, Duration timeout)
            throws MpftException, InterruptedException {
        if (current != null && !current.alive()) {
            current.close();
            current = null;
        }
        if (current == null) {
            current = ClientSession.open(transport, settings, request, budget, logins, connectTimeout, timeout);
        }
        return current;
    }

    /**
     * The transfer succeeded: sends its DONE. A single download's session then ends (FIN, and up to
     * {@code grace} for the server to close); a kept one waits for the next transfer.
     */
    void finish(ClientSession session, Done done, Duration grace) throws InterruptedException {
        if (keep) {
            session.connection().send(done);
        } else {
            session.connection().finish(done, grace);
        }
    }

    /**
     * The transfer on {@code session} ended, {@code succeeded} when with DONE. A kept session waits for the next
     * transfer when the server is ready for another OPEN on it (after DONE, or after a refused OPEN); anything
     * else closes it.
     */
    void release(ClientSession session, boolean succeeded) {
        if (keep && (succeeded || session.openRefused()) && session.alive()) {
            session.detach();
            return;
        }
        session.close();
        if (session == current) {
            current = null;
        }
    }

    /** Closes the kept session, if any. */
    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
