package org.mpft.client;

import io.netty.channel.ChannelFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * A logged-in session on a primary: the connection, its HELLO and its login, and a {@link Route} that hands
 * what the connection reports to the transfers that run on it. Each transfer takes a {@link TransferLane}
 * ({@link #lane}): the control stream, or, when both sides speak {@link Features#TRANSFER_STREAMS}, a transfer
 * stream of its own, so that up to {@code lanes} transfers run at once; without it the transfers take the
 * control stream one after another. The server accepts another OPEN on a stream once its transfer ended with
 * DONE, or once its OPEN was refused. Chunks are routed by their transfer's id ({@link TransferRoutes}); a lost
 * connection reaches every transfer and marks the session dead. The session's connections to secondaries
 * ({@link SecondaryConnections}) serve all its transfers and close with it. Thread-safe.
 */
final class ClientSession implements AutoCloseable {

    /** The key a server's refusal of an OPEN over its transfers at once names (the stream stays usable). */
    private static final String MAX_CONCURRENT_KEY = "mpft.max-concurrent-transfers";

    private final PrimaryConnection connection;
    private final Route route;
    /** The most lanes at once (guarded by route): lowered when the server refuses an OPEN over its limit. */
    private int lanes;
    /** The server refused an OPEN over its transfers per session: no new transfer here (guarded by route). */
    private boolean draining;
    private final Duration timeout;
    /** Lanes waiting for a transfer (guarded by route). */
    private final Deque<TransferLane> idle = new ArrayDeque<>();
    /** Lanes open, busy or idle, and places taken for lanes being opened (guarded by route). */
    private int open;
    /** {@link #end} runs: it closes the connection itself (guarded by route). */
    private boolean ending;

    /** the session's connections to secondaries, kept from transfer to transfer */
    private final SecondaryConnections secondaries;

    private ClientSession(PrimaryConnection connection, Route route, int lanes, Duration timeout,
                          SecondaryConnections secondaries) {
        this.connection = connection;
        this.secondaries = secondaries;
        this.route = route;
        this.lanes = lanes;
        this.timeout = timeout;
    }

    /**
     * Connects to the request's primary, says HELLO and logs in with the request's credentials.
     *
     * @param budget  the chunk bytes the connection may buffer at once
     * @param logins  held from HELLO to AUTH_OK: the sessions of one batch log in one after another, as the
     *                server takes one login of a user from an address at a time
     * @param lanes   transfers at once on this session when the server speaks transfer streams (else one)
     * @param timeout how long the handshake may take, and how long the server may stay silent during the login
     * @throws MpftException        the connection's failure, or the server's ERROR (LIMIT_EXCEEDED when busy)
     * @throws InterruptedException when interrupted (the connection is closed)
     */
    static ClientSession open(QuicTransport transport, TransportSettings settings, DownloadRequest request,
                              ReceiveBudget budget, Lock logins, int lanes, Duration connectTimeout, Duration timeout)
            throws MpftException, InterruptedException {
        Route route = new Route();
        LinkedBlockingQueue<DownloadEvent> login = new LinkedBlockingQueue<>();
        route.login = login::add;
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
            boolean streams = Features.has(hello.features(), Features.TRANSFER_STREAMS);
            ClientSession session = new ClientSession(connection, route, streams ? lanes : 1, connectTimeout,
                    new SecondaryConnections(transport, settings, budget, connectTimeout));
            TransferLane control = new TransferLane(session, route.routes);
            route.add(control, true);
            session.idle.add(control);
            session.open = 1;
            route.login = null;
            ok = true;
            return session;
        } finally {
            logins.unlock();
            if (!ok) {
                route.login = null;
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

    /** The connection, for the transfers on it. */
    PrimaryConnection connection() {
        return connection;
    }

    /** The session's connections to secondaries, for the transfers on it to attach there. */
    SecondaryConnections secondaries() {
        return secondaries;
    }

    /** True while the connection is up, nothing failed on it and the server takes further transfers on it. */
    boolean alive() {
        synchronized (route) {
            return !route.dead && !draining;
        }
    }

    /**
     * The session is not used for new transfers any more: closed now, or, when it drains (the server refused
     * an OPEN over its transfers per session), once its last transfer ended.
     */
    void retire() {
        synchronized (route) {
            if (draining && !route.dead && idle.size() < open) {
                return; // closed by the release of its last transfer
            }
        }
        close();
    }

    /**
     * A lane for a transfer, which takes it at once: what it receives goes to {@code sink}, chunks are checked
     * with {@code verifier}. Waits while every lane is busy.
     *
     * @return the lane, or null when the session died meanwhile
     * @throws MpftException SERVER_UNAVAILABLE when a transfer stream cannot be opened (the session is closed)
     */
    TransferLane lane(Consumer<DownloadEvent> sink, Supplier<ChunkVerifier> verifier)
            throws MpftException, InterruptedException {
        synchronized (route) {
            while (!route.dead && !draining && idle.isEmpty() && open >= lanes) {
                route.wait();
            }
            if (route.dead || draining) {
                return null;
            }
            TransferLane lane = idle.poll();
            while (lane != null && !lane.control() && open > lanes) {
                // fewer streams than before: the server refused an OPEN over its transfers at once
                lane.abandon();
                route.all.remove(lane);
                open--;
                lane = idle.poll();
            }
            if (lane != null) {
                lane.attach(sink, verifier);
                return lane;
            }
            if (open >= lanes) {
                return lane(sink, verifier);
            }
            open++; // a place for the stream opened below
        }
        TransferLane lane = new TransferLane(this, route.routes);
        lane.attach(sink, verifier);
        boolean ok = false;
        try {
            lane.stream(connection.openStream(lane, timeout));
            route.add(lane, false);
            ok = true;
            return lane;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    /**
     * The transfer on {@code lane} ended; {@code kept}: the stream is ready for another OPEN (after DONE or a
     * refused OPEN). A transfer stream that is not is closed, the session goes on; the control stream that is
     * not ends the session ({@link #end}: the frames sent on its other streams still reach the server). An OPEN
     * refused with LIMIT_EXCEEDED over the server's transfers at once (the
     * refusal names {@code mpft.max-concurrent-transfers}) keeps its stream, and the session keeps fewer
     * streams from then on; any other LIMIT_EXCEEDED (the server's transfers per session) drains the session:
     * no new transfer takes it, and it is ended once its last transfer ended.
     */
    void release(TransferLane lane, boolean kept) {
        boolean closeAll = false;
        synchronized (route) {
            boolean atOnce = lane.openRefusedAsBusy() && lane.refusalNames(MAX_CONCURRENT_KEY);
            if (lane.openRefusedAsBusy() && !atOnce) {
                draining = true; // over the server's transfers per session: it ends the session after the others
            }
            if (atOnce) {
                // over the server's transfers at once: the stream stays usable, and the session keeps no more
                // streams than the transfers running besides this one (what the server took)
                lanes = Math.max(1, Math.min(lanes, open - idle.size() - 1));
            }
            if ((kept || atOnce) && !lane.broken() && !route.dead && !draining) {
                lane.idle();
                idle.push(lane);
            } else if (!lane.control() && !route.dead) {
                lane.abandon();
                route.all.remove(lane);
                open--;
            } else if (draining && !route.dead) {
                lane.idle(); // the control stream: its session ends with the last transfer
                idle.push(lane);
            } else {
                lane.abandon();
                closeAll = true;
            }
            closeAll |= draining && idle.size() == open;
            route.notifyAll();
        }
        if (closeAll) {
            end(DownloadTask.DONE_GRACE); // a cancelled transfer, say: the DONEs sent on the others count
        }
    }

    /**
     * Ends the session so that the server reads every frame sent on it first, the DONEs of ended transfers
     * above all (the server logs and counts a transfer as done only then): FIN on each transfer stream, and
     * once the server answered each with its own FIN, FIN on the control stream, after which the server closes
     * the connection. Transfers still running fail at once, as with {@link #close}. Waits up to {@code grace}
     * in all, then closes whatever is left. Idempotent.
     */
    void end(Duration grace) {
        List<TransferLane> lanes;
        synchronized (route) {
            if (ending) {
                return;
            }
            if (route.dead) {
                lanes = null; // the connection was lost or closed: nothing more reaches the server
            } else {
                route.dead = true;
                ending = true;
                route.notifyAll();
                lanes = List.copyOf(route.all);
            }
        }
        if (lanes == null) {
            close();
            return;
        }
        failAll(lanes);
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            List<ChannelFuture> streamsClosed = new ArrayList<>();
            for (TransferLane lane : lanes) {
                ChannelFuture closed = lane.endStream();
                if (closed != null) {
                    streamsClosed.add(closed);
                }
            }
            for (ChannelFuture closed : streamsClosed) {
                closed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            connection.finish(null, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.close();
            secondaries.close();
        }
    }

    /** Closes the connection; the transfers still on it fail (SERVER_UNAVAILABLE). Idempotent. */
    @Override
    public void close() {
        List<TransferLane> lanes;
        synchronized (route) {
            if (ending) {
                return; // closed by the end under way, within its grace
            }
            route.dead = true;
            route.notifyAll();
            lanes = List.copyOf(route.all);
        }
        connection.close();
        secondaries.close();
        failAll(lanes);
    }

    /** Tells the transfers still on {@code lanes} that the session was closed (idle lanes ignore it). */
    private void failAll(List<TransferLane> lanes) {
        DownloadEvent.Failed closed = new DownloadEvent.Failed(new MpftException(ErrorCode.SERVER_UNAVAILABLE,
                "the session to " + connection.server() + " was closed"));
        lanes.forEach(lane -> lane.accept(closed));
    }

    /**
     * Where the connection reports: the login while it runs; then control frames to the control stream's
     * lane, chunks to their transfer's lane, a failure to every lane.
     */
    static final class Route implements Consumer<DownloadEvent> {
        private final TransferRoutes routes = new TransferRoutes();
        /** Every lane open (guarded by this). */
        private final List<TransferLane> all = new ArrayList<>();
        private volatile Consumer<DownloadEvent> login;
        private volatile TransferLane control;
        private volatile boolean dead;

        @Override
        public void accept(DownloadEvent event) {
            Consumer<DownloadEvent> loggingIn = login;
            if (event instanceof DownloadEvent.Failed) {
                List<TransferLane> lanes;
                synchronized (this) {
                    dead = true; // the connection or its control stream failed: no further transfer on it
                    notifyAll();
                    lanes = List.copyOf(all);
                }
                if (loggingIn != null) {
                    loggingIn.accept(event);
                }
                lanes.forEach(lane -> lane.accept(event));
                return;
            }
            if (loggingIn != null) {
                loggingIn.accept(event);
            } else if (event instanceof DownloadEvent.ChunkArrived chunk) {
                Consumer<DownloadEvent> sink = routes.sink(chunk.header().transferId());
                if (sink != null) {
                    sink.accept(event);
                } else {
                    chunk.release();
                }
            } else if (control != null) {
                control.accept(event);
            }
        }

        /** Reports to {@code lane} from now on; {@code control}: it takes the control stream's frames. */
        synchronized void add(TransferLane lane, boolean control) {
            all.add(lane);
            if (control) {
                this.control = lane;
            }
        }

        /** True once the connection or its control stream failed, or the session was closed. */
        boolean dead() {
            return dead;
        }

        /** The connection's chunk routes, by transfer id. */
        TransferRoutes routes() {
            return routes;
        }

        /** The verifier of a chunk's transfer on this connection, or null (no such transfer, or before META). */
        ChunkVerifier verifier(long transferId) {
            return routes.sink(transferId) instanceof TransferLane lane ? lane.verifier() : null;
        }
    }
}
