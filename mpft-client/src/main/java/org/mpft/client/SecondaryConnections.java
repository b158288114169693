package org.mpft.client;

import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicTransportError;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.Hello;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * The secondary connections of one {@link ClientSession}, kept for the session's life: one per secondary
 * (name, host, port and certificate SHA-256), made when a transfer of the session first attaches there and
 * reused by the later ones, which attach on a further stream of it (TRANSFER_STREAMS) instead of a QUIC
 * handshake each. The first transfer attaches on the connection's control stream (HELLO, ATTACH). A connection
 * that died is replaced by the next attach; where the secondary closes a further stream unanswered (it does
 * not know TRANSFER_STREAMS), each later transfer attaches on a connection of its own. Chunks are routed by transferId ({@link TransferRoutes}): a
 * transfer's late chunks are released, never given to another. Closing the session closes them. Thread-safe:
 * transfers of one session may attach at once (one connects, the others wait for its connection).
 */
final class SecondaryConnections implements AutoCloseable {

    /** What identifies a secondary: a connection is reused only for the very same one. */
    private record Key(String name, String host, int port, Bytes certificateSha256) {
    }

    private final QuicTransport transport;
    private final TransportSettings settings;
    private final ReceiveBudget budget;
    private final Duration timeout;
    private final Map<Key, Kept> kept = new HashMap<>();
    private boolean closed;

    /**
     * @param budget  the chunk bytes buffered at once, shared with the session's primary connection
     * @param timeout how long a handshake (or a stream's opening) may take
     */
    SecondaryConnections(QuicTransport transport, TransportSettings settings, ReceiveBudget budget, Duration timeout) {
        this.transport = transport;
        this.settings = settings;
        this.budget = budget;
        this.timeout = timeout;
    }

    /**
     * Attaches transfer {@code transferId} to the secondary of {@code endpoint} with its ticket: on a further
     * stream of the kept connection, or on a new connection (the first attach, or the kept one died). The
     * secondary's answer (SERVER_HELLO, ATTACHED or ERROR), its failures and the transfer's chunks go to
     * {@code sink}. Blocks while a connection is made.
     *
     * @param server   the secondary as shown to the user, {@code host:port}
     * @param pin      checks the secondary's certificate on a new connection
     * @param verifier the transfer's chunk verifier (for secondaries' chunks)
     * @return the attachment; end it when the transfer ends
     * @throws MpftException the connection's failure (SERVER_UNAVAILABLE, the pin's refusal)
     */
    Attachment attach(SecondaryEndpoint endpoint, String server, PrimaryConnection.Pin pin, long transferId,
                      Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink)
            throws MpftException, InterruptedException {
        return kept(endpoint, server).attach(endpoint, pin, transferId, verifier, sink, true);
    }

    /**
     * Attaches as {@link #attach} when the kept connection is up and nobody is connecting it, without
     * blocking on a handshake; null when a connection must be made first (the caller does so off its thread).
     */
    Attachment attachIfConnected(SecondaryEndpoint endpoint, String server, PrimaryConnection.Pin pin,
                                 long transferId, Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink)
            throws MpftException, InterruptedException {
        return kept(endpoint, server).attach(endpoint, pin, transferId, verifier, sink, false);
    }

    private synchronized Kept kept(SecondaryEndpoint endpoint, String server) throws MpftException {
        if (closed) {
            throw new MpftException(org.mpft.protocol.ErrorCode.SERVER_UNAVAILABLE, "the session is closed");
        }
        return kept.computeIfAbsent(new Key(endpoint.name(), endpoint.host(), endpoint.port(),
                endpoint.certificateSha256()), k -> new Kept(server));
    }

    /** Closes every kept connection. Idempotent. */
    @Override
    public void close() {
        Kept[] all;
        synchronized (this) {
            closed = true;
            all = kept.values().toArray(new Kept[0]);
            kept.clear();
        }
        for (Kept k : all) {
            k.close();
        }
    }

    /** True when a stream could not be opened because the peer's stream credit is spent (QUIC STREAM_LIMIT). */
    private static boolean outOfStreams(Throwable cause) {
        return cause instanceof QuicException quic && quic.error() == QuicTransportError.STREAM_LIMIT_ERROR;
    }

    /** One transfer attached to a secondary; {@link #end} forgets it there. */
    final class Attachment {
        private final Link link;
        private final long transferId;
        /** null: the transfer attached on the connection's control stream */
        private final QuicStreamChannel stream;
        /** a connection of this attachment's own (the secondary takes no further streams): closed at its end */
        private final boolean own;
        private volatile boolean ended;
        /** a frame came on this attachment's further stream: the secondary takes such streams */
        private volatile boolean answered;

        private Attachment(Link link, long transferId, QuicStreamChannel stream, boolean own) {
            this.link = link;
            this.transferId = transferId;
            this.stream = stream;
            this.own = own;
        }

        /**
         * The transfer is over on this secondary: its chunks still in flight are released from now on and its
         * stream (if a further one) is closed, which ends the attachment on the secondary. The connection stays.
         */
        void end() {
            if (ended) {
                return;
            }
            ended = true;
            link.forget(transferId);
            if (own) {
                link.close();
            } else if (stream != null) {
                stream.shutdownOutput().addListener(f -> stream.close());
            }
        }
    }

    /** A secondary's kept connection, replaced when it died. */
    private final class Kept {
        private final String server;
        private final ReentrantLock lock = new ReentrantLock();
        private Link link; // guarded by lock
        private boolean closed; // guarded by lock: the session closed, no connection is made any more

        Kept(String server) {
            this.server = server;
        }

        Attachment attach(SecondaryEndpoint endpoint, PrimaryConnection.Pin pin, long transferId,
                          Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink, boolean mayConnect)
                throws MpftException, InterruptedException {
            if (mayConnect) {
                lock.lockInterruptibly();
            } else if (!lock.tryLock()) {
                return null;
            }
            try {
                if (closed) {
                    throw new MpftException(org.mpft.protocol.ErrorCode.SERVER_UNAVAILABLE, "the session is closed");
                }
                if (link != null && !link.alive()) {
                    link.close();
                    link = null;
                }
                boolean own = link != null && link.streamsRefused;
                if (link == null || own) {
                    if (!mayConnect) {
                        return null;
                    }
                    Link made = connect(endpoint, pin, transferId, verifier, sink);
                    if (!own) {
                        link = made;
                    }
                    return new Attachment(made, transferId, null, own);
                }
                Link current = link;
                Attachment[] attachment = new Attachment[1];
                current.add(transferId, verifier, sink, false);
                QuicStreamChannel stream;
                try {
                    stream = current.connection.openStream(event -> {
                        Attachment a = attachment[0];
                        if (a == null || a.ended) {
                            return;
                        }
                        if (event instanceof DownloadEvent.ControlFrame) {
                            a.answered = true;
                        } else if (!a.answered && event instanceof DownloadEvent.Failed) {
                            // closed unanswered: a secondary without TRANSFER_STREAMS; later transfers attach
                            // on connections of their own
                            current.streamsRefused = true;
                        }
                        sink.accept(event); // frames and the end of this attachment's own stream
                    }, timeout);
                } catch (MpftException e) {
                    current.forget(transferId);
                    if (outOfStreams(e.getCause()) && current.connection.alive()) {
                        // up, but no stream to spare now (the secondary's QUIC stream credit is spent until it
                        // collects finished ones): this transfer attaches on a connection of its own, and the kept
                        // one goes on serving the transfers attached on it
                        if (!mayConnect) {
                            return null;
                        }
                        return new Attachment(connect(endpoint, pin, transferId, verifier, sink), transferId, null,
                                true);
                    }
                    current.dead = true; // no connection: the next attach makes a new one
                    throw e;
                }
                attachment[0] = new Attachment(current, transferId, stream, false);
                stream.writeAndFlush(new Attach(endpoint.ticket()));
                return attachment[0];
            } finally {
                lock.unlock();
            }
        }

        /** A new connection with HELLO, and ATTACH for {@code transferId} on its control stream. */
        private Link connect(SecondaryEndpoint endpoint, PrimaryConnection.Pin pin, long transferId,
                             Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink)
                throws MpftException, InterruptedException {
            Link made = new Link();
            made.add(transferId, verifier, sink, true);
            try {
                made.connection = PrimaryConnection.connectShared(transport, settings, server, endpoint.host(),
                        endpoint.port(), pin, timeout, made::verifier, budget, made);
            } catch (MpftException | InterruptedException | RuntimeException e) {
                made.forget(transferId);
                throw e;
            }
            // the secondary handles frames in order: no need to wait for SERVER_HELLO before ATTACH
            made.connection.send(new Hello(FrameCodec.PROTOCOL_VERSION,
                    Features.MULTI_PATH | Features.TRANSFER_STREAMS, "mpft-cli"));
            made.connection.send(new Attach(endpoint.ticket()));
            return made;
        }

        void close() {
            lock.lock();
            try {
                closed = true;
                if (link != null) {
                    link.close();
                    link = null;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * One connection to a secondary and the transfers attached on it: routes its chunks by transferId and its
     * control stream's frames to the transfer that attached there; a lost connection reaches every transfer on
     * it.
     */
    private static final class Link implements Consumer<DownloadEvent> {
        private final TransferRoutes routes = new TransferRoutes();
        private final Map<Long, Supplier<ChunkVerifier>> verifiers = new ConcurrentHashMap<>();
        private volatile PrimaryConnection connection;
        /** the transfer attached on the control stream, while it runs; -1: none */
        private volatile long controlTransfer = -1;
        private volatile boolean dead;
        /** the secondary closed a further stream unanswered: it does not take them (no TRANSFER_STREAMS) */
        private volatile boolean streamsRefused;

        void add(long transferId, Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink, boolean onControl) {
            verifiers.put(transferId, verifier);
            routes.add(transferId, sink);
            if (onControl) {
                controlTransfer = transferId;
            }
        }

        void forget(long transferId) {
            routes.remove(transferId);
            verifiers.remove(transferId);
            if (controlTransfer == transferId) {
                controlTransfer = -1;
            }
        }

        ChunkVerifier verifier(long transferId) {
            Supplier<ChunkVerifier> verifier = verifiers.get(transferId);
            return verifier == null ? null : verifier.get();
        }

        boolean alive() {
            return !dead && connection != null && connection.alive();
        }

        /** What the connection reports: chunks, the control stream's frames, its loss. */
        @Override
        public void accept(DownloadEvent event) {
            if (event instanceof DownloadEvent.ChunkArrived chunk) {
                Consumer<DownloadEvent> sink = routes.sink(chunk.header().transferId());
                if (sink != null) {
                    sink.accept(chunk);
                } else {
                    chunk.release(); // a transfer that ended here: nobody takes it
                }
                return;
            }
            if (event instanceof DownloadEvent.Failed) {
                dead = true;
                for (Long transferId : verifiers.keySet()) {
                    Consumer<DownloadEvent> sink = routes.sink(transferId);
                    if (sink != null) {
                        sink.accept(event);
                    }
                }
                return;
            }
            if (event instanceof DownloadEvent.ControlFrame control && control.frame() instanceof ErrorFrame) {
                dead = true; // the secondary ends the connection after an ERROR on its control stream
            }
            Consumer<DownloadEvent> sink = controlTransfer < 0 ? null : routes.sink(controlTransfer);
            if (sink != null) {
                sink.accept(event);
            }
        }

        void close() {
            dead = true;
            if (connection != null) {
                connection.close();
            }
        }
    }
}
