package org.mpft.client;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * A logged-in session on a primary: the connection, its HELLO and its login, and a {@link Route} that hands
 * what the connection reports to the transfer that runs on it now. Transfers take the session one after
 * another ({@link #attach}, {@link #detach}): the server accepts another OPEN (or a LIST) once a transfer
 * ended with DONE, or once an OPEN was refused. Between transfers, chunk buffers that still arrive are
 * released and a lost connection marks the session dead. The session's connections to secondaries
 * ({@link SecondaryConnections}) serve its transfers one after another and close with it. Used by one thread at
 * a time.
 */
final class ClientSession implements AutoCloseable {

    private final PrimaryConnection connection;
    private final Route route;
    /** the session's connections to secondaries, kept from transfer to transfer */
    private final SecondaryConnections secondaries;

    private ClientSession(PrimaryConnection connection, Route route, SecondaryConnections secondaries) {
        this.connection = connection;
        this.route = route;
        this.secondaries = secondaries;
    }

    /**
     * Connects to the request's primary, says HELLO and logs in with the request's credentials.
     *
     * @param budget  the chunk bytes the connection may buffer at once
     * @param logins  held from HELLO to AUTH_OK: the sessions of one batch log in one after another, as the
     *                server takes one login of a user from an address at a time
     * @param timeout how long the handshake may take, and how long the server may stay silent during the login
     * @throws MpftException        the connection's failure, or the server's ERROR (LIMIT_EXCEEDED when busy)
     * @throws InterruptedException when interrupted (the connection is closed)
     */
    static ClientSession open(QuicTransport transport, TransportSettings settings, DownloadRequest request,
                              ReceiveBudget budget, Lock logins, Duration connectTimeout, Duration timeout)
            throws MpftException, InterruptedException {
        Route route = new Route();
        LinkedBlockingQueue<DownloadEvent> login = new LinkedBlockingQueue<>();
        route.sink = login::add;
        PrimaryConnection connection = PrimaryConnection.connect(transport, settings, request, connectTimeout,
                route::verifier, budget, route);
        boolean ok = false;
        try {
            logins.lockInterruptibly();
        } catch (InterruptedException e) {
            connection.close();
            throw e;
        }
        try {
            connection.send(LoginFrames.hello(request.compress()));
            ServerHello hello = expect(login, ServerHello.class, request, timeout);
            connection.send(LoginFrames.login(request.user(), request.credentials(), hello.challenge(),
                    Bytes.of(connection.certificateSha256())));
            expect(login, AuthOk.class, request, timeout);
            route.idle();
            ok = true;
            return new ClientSession(connection, route,
                    new SecondaryConnections(transport, settings, budget, connectTimeout));
        } finally {
            logins.unlock();
            if (!ok) {
                route.idle();
                connection.close();
            }
        }
    }

    private static <T extends Frame> T expect(LinkedBlockingQueue<DownloadEvent> queue, Class<T> type,
                                              DownloadRequest request, Duration timeout)
            throws MpftException, InterruptedException {
        DownloadEvent event = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, request.server() + " sent nothing for "
                    + timeout.toSeconds() + " s during the login");
        }
        if (event instanceof DownloadEvent.ControlFrame control) {
            if (type.isInstance(control.frame())) {
                return type.cast(control.frame());
            }
            if (control.frame() instanceof ErrorFrame error) {
                throw DownloadErrors.server(request, error);
            }
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, request.server() + " sent " + control.frame().type()
                    + " where " + type.getSimpleName() + " was expected");
        }
        if (event instanceof DownloadEvent.Failed failed) {
            throw failed.error();
        }
        if (event instanceof DownloadEvent.ChunkArrived chunk) {
            chunk.release();
        }
        throw new MpftException(ErrorCode.PROTOCOL_ERROR, request.server() + " sent a chunk before the login ended");
    }

    /** The connection, for the transfer attached to it. */
    PrimaryConnection connection() {
        return connection;
    }

    /** The session's connections to secondaries, for the transfers on it to attach there. */
    SecondaryConnections secondaries() {
        return secondaries;
    }

    /** True while the connection is up and nothing failed on it. */
    boolean alive() {
        return !route.dead;
    }

    /** A transfer takes the session: what the connection reports goes to {@code sink}, chunks are checked with {@code verifier}. */
    void attach(Consumer<DownloadEvent> sink, Supplier<ChunkVerifier> verifier) {
        route.attach(sink, verifier);
    }

    /**
     * True when the server answered the attached transfer's OPEN with an ERROR after which it keeps the session
     * for another OPEN (the file is missing, not readable, not a valid path, too large).
     */
    boolean openRefused() {
        return route.openRefused();
    }

    private static final java.util.Set<ErrorCode> REFUSALS = java.util.EnumSet.of(ErrorCode.FILE_NOT_FOUND,
            ErrorCode.ACCESS_DENIED, ErrorCode.INVALID_PATH, ErrorCode.FILE_TOO_LARGE);

    /** The transfer ended: nothing goes to it any more. */
    void detach() {
        route.idle();
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() {
        route.idle();
        route.dead = true;
        secondaries.close();
        connection.close();
    }

    /** Where the connection reports: the attached transfer, or nowhere (buffers released) between transfers. */
    static final class Route implements Consumer<DownloadEvent> {
        private static final Supplier<ChunkVerifier> NONE = () -> null;
        private volatile Consumer<DownloadEvent> sink;
        private volatile Supplier<ChunkVerifier> verifier = NONE;
        private volatile boolean dead;
        /** the first control frame since the transfer attached: META, or an ERROR refusing its OPEN */
        private volatile Frame answer;

        @Override
        public void accept(DownloadEvent event) {
            if (event instanceof DownloadEvent.Failed) {
                dead = true; // the connection or a stream of it failed: no further transfer on it
            }
            Consumer<DownloadEvent> target = sink;
            if (target != null && answer == null && event instanceof DownloadEvent.ControlFrame control) {
                answer = control.frame();
            }
            if (target != null) {
                target.accept(event);
            } else if (event instanceof DownloadEvent.ChunkArrived chunk) {
                chunk.release();
            }
        }

        ChunkVerifier verifier() {
            return verifier.get();
        }

        /** From now on everything goes to {@code sink}, chunks checked with {@code verifier}. */
        void attach(Consumer<DownloadEvent> sink, Supplier<ChunkVerifier> verifier) {
            answer = null;
            this.verifier = verifier;
            this.sink = sink;
        }

        /** True when the attached transfer's OPEN was answered with an ERROR that leaves the session open. */
        boolean openRefused() {
            return answer instanceof ErrorFrame error && REFUSALS.contains(error.code());
        }

        /** True once the connection or one of its streams failed. */
        boolean dead() {
            return dead;
        }

        void idle() {
            sink = null;
            verifier = NONE;
        }
    }
}
