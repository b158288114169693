package org.mpft.client;

import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicTransportError;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * that died is replaced by the next attach, and so is one found dead or closing by a transfer before its close
 * reached this side (a secondary that restarted): a stream that cannot be opened there, or the connection's loss
 * (or its silence for {@link #ATTACH_SILENCE}) before the secondary answered the transfer's ATTACH, moves that
 * transfer to a new connection, once. Where the
 * secondary closes a further stream unanswered on a live connection (it does not know TRANSFER_STREAMS), each
 * later transfer attaches on a connection of its own. Chunks are routed by transferId ({@link TransferRoutes}): a
 * transfer's late chunks are released, never given to another. Closing the session closes them, without waiting
 * for a handshake still under way (a secondary that answers nothing would hold the client's exit until the
 * handshake's timeout). Thread-safe:
 * transfers of one session may attach at once (one connects, the others wait for its connection).
 */
final class SecondaryConnections implements AutoCloseable {

    /**
     * How long a kept connection may stay silent (not a single packet, not even QUIC's acknowledgement) after a
     * transfer sent ATTACH on it before it counts as lost: a secondary restarted without its goodbye reaching
     * this side drops the packets of a connection it does not know. A live one acknowledges within a few round
     * trips; the primary waits 10 s for the client's attach, which leaves time for a new connection.
     */
    static final Duration ATTACH_SILENCE = Duration.ofSeconds(3);

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
        return kept(endpoint, server).attach(endpoint, pin, transferId, verifier, sink, true, true);
    }

    /**
     * Attaches as {@link #attach} when the kept connection is up and nobody is connecting it, without
     * blocking on a handshake; null when a connection must be made first (the caller does so off its thread).
     */
    Attachment attachIfConnected(SecondaryEndpoint endpoint, String server, PrimaryConnection.Pin pin,
                                 long transferId, Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink)
            throws MpftException, InterruptedException {
        return kept(endpoint, server).attach(endpoint, pin, transferId, verifier, sink, false, true);
    }

    private synchronized Kept kept(SecondaryEndpoint endpoint, String server) throws MpftException {
        if (closed) {
            throw sessionClosed();
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

    /** What an attach gets once the session is closed. */
    private static MpftException sessionClosed() {
        return new MpftException(org.mpft.protocol.ErrorCode.SERVER_UNAVAILABLE, "the session is closed");
    }

    /** True when a stream could not be opened because the peer's stream credit is spent (QUIC STREAM_LIMIT). */
    private static boolean outOfStreams(Throwable cause) {
        return cause instanceof QuicException quic && quic.error() == QuicTransportError.STREAM_LIMIT_ERROR;
    }

    /**
     * One transfer attached to a secondary; {@link #end} forgets it there. Where the transfer had to move to a new
     * connection (its kept connection died before the secondary answered its ATTACH), it stands for the new one.
     */
    final class Attachment {
        private final long transferId;
        private SecondaryLink link; // guarded by this
        /** null: the transfer attached on the connection's control stream */
        private QuicStreamChannel stream; // guarded by this
        /** a connection of this attachment's own (the secondary takes no further streams): closed at its end */
        private boolean own; // guarded by this
        private boolean ended; // guarded by this

        private Attachment(SecondaryLink link, long transferId, QuicStreamChannel stream, boolean own) {
            this.link = link;
            this.transferId = transferId;
            this.stream = stream;
            this.own = own;
        }

        synchronized boolean ended() {
            return ended;
        }

        /** The further stream this transfer attached on; null when it attached on a connection's control stream. */
        synchronized QuicStreamChannel stream() {
            return stream;
        }

        /**
         * The transfer is over on this secondary: its chunks still in flight are released from now on and its
         * stream (if a further one) is ended with FIN, which ends the attachment on the secondary. The connection
         * stays.
         *
         * <p>The stream closes once the secondary's FIN (its answer to ours) has been read too, not at once: a
         * stream closed before that FIN is never read again, so netty keeps it in its connection's streams and
         * quiche keeps its state (a stream is collected only once its FIN was read) until the connection closes,
         * which for a tree of thousands of files would be one such stream per file.
         */
        void end() {
            SecondaryLink endedLink;
            QuicStreamChannel endedStream;
            boolean endedOwn;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                endedLink = link;
                endedStream = stream;
                endedOwn = own;
            }
            endedLink.forget(transferId);
            if (endedOwn) {
                endedLink.close();
            } else if (endedStream != null) {
                endedStream.shutdownOutput().addListener(f -> {
                    if (!f.isSuccess()) {
                        endedStream.close(); // the FIN could not be sent (stream reset, connection gone)
                    }
                });
            }
        }

        /** From now on this attachment is {@code moved}; ends {@code moved} when this one ended meanwhile. */
        private void moveTo(Attachment moved) {
            synchronized (this) {
                if (!ended) {
                    link = moved.link;
                    stream = moved.stream;
                    own = moved.own;
                    return;
                }
            }
            moved.end();
        }
    }

    /** A secondary's kept connection, replaced when it died. */
    private final class Kept {
        private final String server;
        private final ReentrantLock lock = new ReentrantLock();
        private SecondaryLink link; // guarded by lock
        // the session closed, no connection is made any more; set without the lock, which an attach holds
        // through a handshake
        private volatile boolean closed;

        Kept(String server) {
            this.server = server;
        }

        /**
         * @param mayConnect false: return null instead of making a connection (the caller is a download's thread)
         * @param mayMove    whether a transfer whose kept connection dies before the secondary answers its ATTACH
         *                   moves to a new connection (once: the attach on that one has no such second chance)
         */
        Attachment attach(SecondaryEndpoint endpoint, PrimaryConnection.Pin pin, long transferId,
                          Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink, boolean mayConnect,
                          boolean mayMove)
                throws MpftException, InterruptedException {
            if (mayConnect) {
                lock.lockInterruptibly();
            } else if (!lock.tryLock()) {
                return null;
            }
            try {
                // at most two rounds: a kept connection found dead while opening the stream is replaced by a new
                // one, on whose control stream the transfer attaches (or whose failure the caller gets)
                while (true) {
                    if (closed) {
                        throw sessionClosed();
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
                        SecondaryLink made = connect(endpoint, pin, transferId, verifier, sink);
                        if (closed) {
                            made.close();
                            throw sessionClosed();
                        }
                        if (!own) {
                            link = made;
                        }
                        return new Attachment(made, transferId, null, own);
                    }
                    SecondaryLink current = link;
                    FurtherStream further = new FurtherStream(current, endpoint, pin, transferId, verifier, sink,
                            mayMove);
                    current.add(transferId, verifier, further, false);
                    QuicStreamChannel stream;
                    try {
                        stream = current.connection.openStream(further, timeout);
                    } catch (MpftException e) {
                        current.forget(transferId);
                        if (outOfStreams(e.getCause()) && current.alive()) {
                            // up, but no stream to spare now (the secondary's QUIC stream credit is spent until it
                            // collects finished ones): this transfer attaches on a connection of its own, and the
                            // kept one goes on serving the transfers attached on it
                            if (!mayConnect) {
                                return null;
                            }
                            return new Attachment(connect(endpoint, pin, transferId, verifier, sink), transferId,
                                    null, true);
                        }
                        // the kept connection is dead or closing, whether or not its close has reached this side
                        // (a secondary that restarted): a new connection serves this transfer and the later ones
                        current.dead = true;
                        continue;
                    }
                    Attachment attachment = new Attachment(current, transferId, stream, false);
                    further.attachment = attachment;
                    current.connection.onSilence(ATTACH_SILENCE, () -> current.accept(new DownloadEvent.Failed(
                            new MpftException(org.mpft.protocol.ErrorCode.SERVER_UNAVAILABLE, "no packet from "
                                    + server + " within " + ATTACH_SILENCE.toSeconds() + " s of an ATTACH"))));
                    stream.writeAndFlush(new Attach(endpoint.ticket()));
                    if (!current.alive()) {
                        // the connection died while the stream opened: its loss may have passed unheard
                        further.accept(new DownloadEvent.Failed(new MpftException(
                                org.mpft.protocol.ErrorCode.SERVER_UNAVAILABLE,
                                "the connection to " + server + " was lost")));
                    }
                    return attachment;
                }
            } finally {
                if (closed && link != null) {
                    // the session closed while this attach held the lock: close() left the connection to it
                    link.close();
                    link = null;
                }
                lock.unlock();
            }
        }

        /**
         * What a transfer attached on a further stream hears: the stream's frames and end, and the kept
         * connection's loss. Until the secondary answers, a loss of the connection moves the transfer to a new
         * one (off the connection's thread) instead of reaching the transfer; the stream closed unanswered on a
         * live connection means a secondary without TRANSFER_STREAMS.
         */
        private final class FurtherStream implements Consumer<DownloadEvent> {
            private final SecondaryLink link;
            private final SecondaryEndpoint endpoint;
            private final PrimaryConnection.Pin pin;
            private final long transferId;
            private final Supplier<ChunkVerifier> verifier;
            private final Consumer<DownloadEvent> sink;
            private final boolean mayMove;
            private final AtomicBoolean moved = new AtomicBoolean();
            private volatile Attachment attachment;
            private volatile boolean answered;

            FurtherStream(SecondaryLink link, SecondaryEndpoint endpoint, PrimaryConnection.Pin pin, long transferId,
                          Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink, boolean mayMove) {
                this.link = link;
                this.endpoint = endpoint;
                this.pin = pin;
                this.transferId = transferId;
                this.verifier = verifier;
                this.sink = sink;
                this.mayMove = mayMove;
            }

            @Override
            public void accept(DownloadEvent event) {
                Attachment a = attachment;
                if (a == null || a.ended() || moved.get()) {
                    return; // after a move, what the dead connection still reports concerns no transfer
                }
                if (event instanceof DownloadEvent.ControlFrame) {
                    answered = true;
                } else if (!answered && event instanceof DownloadEvent.Failed) {
                    if (link.alive()) {
                        // closed unanswered: a secondary without TRANSFER_STREAMS; later transfers attach on
                        // connections of their own
                        link.streamsRefused = true;
                    } else if (mayMove && moved.compareAndSet(false, true)) {
                        move(a);
                        return;
                    }
                }
                sink.accept(event); // frames, the end of this attachment's own stream, the connection's loss
            }

            /** Attaches the transfer anew (a new connection unless another transfer made one already). */
            private void move(Attachment a) {
                link.dead = true;
                link.forget(transferId);
                Thread thread = new Thread(() -> {
                    try {
                        a.moveTo(Kept.this.attach(endpoint, pin, transferId, verifier, sink, true, false));
                    } catch (MpftException e) {
                        if (!a.ended()) {
                            sink.accept(new DownloadEvent.Failed(e));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "mpft-reattach-" + endpoint.name());
                thread.setDaemon(true);
                thread.start();
            }
        }

        /** A new connection with HELLO, and ATTACH for {@code transferId} on its control stream. */
        private SecondaryLink connect(SecondaryEndpoint endpoint, PrimaryConnection.Pin pin, long transferId,
                             Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> sink)
                throws MpftException, InterruptedException {
            SecondaryLink made = new SecondaryLink();
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

        /**
         * Closes the kept connection. An attach that is still making one (its handshake can take up to the
         * timeout, against a secondary that answers nothing) is not waited for: it sees {@code closed} when its
         * handshake ends, and closes what it made.
         */
        void close() {
            closed = true;
            if (!lock.tryLock()) {
                return;
            }
            try {
                if (link != null) {
                    link.close();
                    link = null;
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
