package org.mpft.client;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mpft.protocol.Attached;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.LogText;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.protocol.ServerHello;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondaries of one download, as the client sees them: attaches to every secondary META names with its
 * ticket through the session's {@link SecondaryConnections} (on a further stream of the session's kept
 * connection to it, or, for the first transfer there, on a new connection made in the background, pinning
 * the certificate the primary vouched for), and keeps the primary's chunk digests (CHUNK_DIGESTS, always
 * SHA-256) that every chunk from a secondary is checked against (its bytes hashed here with SHA-256 too). A
 * secondary that fails only loses its path: the primary moves its chunks. Chunks from secondaries arrive on
 * the download's event queue like the primary's; ACK and NACK go to the primary. Used by the download's
 * thread, except where noted.
 */
final class SecondaryPaths implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SecondaryPaths.class);

    /** The verdict on a chunk from a secondary. */
    enum Verdict {
        /** It matches the primary's digest: write it. */
        GOOD,
        /** Its bytes do not match its own header checksum: damaged on the way. */
        CORRUPT,
        /** Its bytes match its header but not the primary's digest: the secondary's copy differs. */
        STALE,
        /** The primary's digest has not arrived yet: hold it. */
        WAIT,
        /**
         * The primary's digest has not arrived and the chunks held for digests are at their bound: drop it,
         * count it, and reject the secondary's copy (the primary then drops that path and moves its chunks).
         */
        DROPPED,
        /** A copy of this chunk is held for its digest already: drop this one and count it. */
        DUPLICATE
    }

    /**
     * The most chunks from secondaries held while their digests are awaited: a secondary path's window
     * ({@code mpft.window}, at most 256 chunks) bounds what an honest server has in flight.
     */
    static final int MAX_WAITING_CHUNKS = 256;

    /** The most bytes of chunks held while their digests are awaited (the server's default bytes in flight). */
    static final long MAX_WAITING_BYTES = 256L << 20;

    /** A secondary's control frame, tagged with the secondary. */
    record SecondaryEvent(String server, DownloadEvent event) implements DownloadEvent.External {
    }

    /** A secondary connected (or failed to); from its connecting thread. */
    record Connected(String server, MpftException error) implements DownloadEvent.External {
    }

    private final SecondaryConnections pool;
    private final DownloadRequest request;
    private final Meta meta;
    private final Consumer<DownloadEvent> events;
    private final Supplier<ChunkVerifier> verifier;
    private final Map<String, SecondaryEndpoint> endpoints = new HashMap<>();
    private final Map<String, SecondaryConnections.Attachment> attachments = new ConcurrentHashMap<>();
    private final byte[][] digests;
    private final ChecksumAlgorithm algorithm;
    private final Map<Integer, List<DownloadEvent.ChunkArrived>> waiting = new HashMap<>();
    private int waitingChunks;
    private long waitingBytes;
    private final Map<String, String> lost = new java.util.LinkedHashMap<>();
    private volatile boolean closed;

    /** @param pool the session's secondary connections */
    SecondaryPaths(SecondaryConnections pool, DownloadRequest request, Meta meta, Consumer<DownloadEvent> events,
                   Supplier<ChunkVerifier> verifier) {
        this.pool = pool;
        this.request = request;
        this.meta = meta;
        this.events = events;
        // a secondary's chunks are SHA-256, checked against the primary's SHA-256 digests, whatever META's
        // algorithm: a CRC is no proof against a secondary that forges bytes
        this.verifier = () -> {
            ChunkVerifier v = verifier.get();
            return v == null ? null : v.forSecondaries();
        };
        this.algorithm = ChecksumAlgorithm.SHA256;
        this.digests = new byte[meta.plan().chunkCount()][];
        for (SecondaryEndpoint endpoint : meta.secondaries()) {
            endpoints.put(server(endpoint), endpoint);
        }
    }

    /** {@code host:port} of a secondary, as the progress lines and the summary show it. */
    static String server(SecondaryEndpoint endpoint) {
        String host = endpoint.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + endpoint.port();
    }

    /** The servers of the secondaries, in META order. */
    List<String> servers() {
        List<String> list = new ArrayList<>();
        for (SecondaryEndpoint endpoint : meta.secondaries()) {
            list.add(server(endpoint));
        }
        return list;
    }

    /** True when {@code server} is one of this download's secondaries. */
    boolean isSecondary(String server) {
        return endpoints.containsKey(server);
    }

    /**
     * Attaches to every secondary: at once on a further stream where the session keeps a connection to it, else
     * on a thread of its own that connects first.
     */
    void attachAll() {
        for (SecondaryEndpoint endpoint : meta.secondaries()) {
            String server = server(endpoint);
            try {
                SecondaryConnections.Attachment attachment = pool.attachIfConnected(endpoint, server,
                        pin(server, endpoint), meta.transferId(), verifier, sink(server));
                if (attachment != null) {
                    attached(server, attachment);
                    continue;
                }
            } catch (MpftException e) {
                events.accept(new Connected(server, e));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Thread thread = new Thread(() -> attach(server, endpoint), "mpft-attach-" + endpoint.name());
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void attach(String server, SecondaryEndpoint endpoint) {
        try {
            attached(server, pool.attach(endpoint, server, pin(server, endpoint), meta.transferId(), verifier,
                    sink(server)));
            events.accept(new Connected(server, null));
        } catch (MpftException e) {
            events.accept(new Connected(server, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps {@code attachment} until the download ends (ended at once when it ended already); any thread. */
    private void attached(String server, SecondaryConnections.Attachment attachment) {
        attachments.put(server, attachment);
        if (closed && attachments.remove(server, attachment)) {
            attachment.end();
        }
    }

    /** The secondary's certificate must be the one the primary vouched for, and pass the request's host keys. */
    private PrimaryConnection.Pin pin(String server, SecondaryEndpoint endpoint) {
        return sha256 -> {
            if (!MessageDigest.isEqual(sha256, endpoint.certificateSha256().toByteArray())) {
                throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "secondary " + server
                        + " presented certificate " + org.mpft.protocol.Bytes.of(sha256).hex()
                        + ", not the one " + request.server() + " vouched for");
            }
            request.hostKeys().verify(server, sha256, request.server());
        };
    }

    /** Where a secondary's news go: chunks as they are, the rest tagged with the secondary. */
    private Consumer<DownloadEvent> sink(String server) {
        return event -> events.accept(event instanceof DownloadEvent.ChunkArrived
                ? event : new SecondaryEvent(server, event));
    }

    /**
     * Handles an event that is not a chunk; true when it was a secondary's or a CHUNK_DIGESTS frame.
     *
     * @param ready receives chunks that were waiting for the digests that just arrived
     */
    boolean handle(DownloadEvent event, Consumer<DownloadEvent.ChunkArrived> ready) throws MpftException {
        if (event instanceof DownloadEvent.ControlFrame control && control.frame() instanceof ChunkDigests d) {
            onDigests(d, ready);
            return true;
        }
        if (event instanceof Connected connected) {
            if (connected.error() != null) {
                LOG.info("secondary {} is not used: {}", LogText.quote(connected.server()), LogText.quote(connected.error().getMessage()));
                lost.putIfAbsent(connected.server(), connected.error().getMessage());
            }
            return true;
        }
        if (event instanceof SecondaryEvent secondary) {
            DownloadEvent inner = secondary.event();
            if (inner instanceof DownloadEvent.ControlFrame control) {
                if (control.frame() instanceof ErrorFrame error) {
                    LOG.info("secondary {} refused: {} {}", LogText.quote(secondary.server()), error.code(), LogText.quote(error.message()));
                    lost.putIfAbsent(secondary.server(), error.code() + ": " + error.message());
                    drop(secondary.server());
                } else if (!(control.frame() instanceof ServerHello) && !(control.frame() instanceof Attached)) {
                    LOG.info("secondary {} sent an unexpected {}", LogText.quote(secondary.server()), control.frame().type());
                    drop(secondary.server());
                }
            } else if (inner instanceof DownloadEvent.Failed failed) {
                LOG.info("secondary {} is lost: {}", LogText.quote(secondary.server()), LogText.quote(failed.error().getMessage()));
                lost.putIfAbsent(secondary.server(), failed.error().getMessage());
                drop(secondary.server());
            }
            return true;
        }
        return false;
    }

    private void onDigests(ChunkDigests d, Consumer<DownloadEvent.ChunkArrived> ready) throws MpftException {
        if (d.transferId() != meta.transferId()) {
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, request.server() + " sent digests of transfer "
                    + d.transferId());
        }
        byte[] all = d.digests().toByteArray();
        int length = algorithm.length();
        if (all.length % length != 0 || d.firstChunk() + all.length / length > digests.length) {
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, request.server() + " sent "
                    + all.length + " digest bytes from chunk " + d.firstChunk() + " of " + digests.length);
        }
        for (int i = 0; i < all.length / length; i++) {
            byte[] digest = new byte[length];
            System.arraycopy(all, i * length, digest, 0, length);
            digests[d.firstChunk() + i] = digest;
            List<DownloadEvent.ChunkArrived> held = waiting.remove(d.firstChunk() + i);
            if (held != null) {
                for (DownloadEvent.ChunkArrived chunk : held) {
                    waitingChunks--;
                    waitingBytes -= chunk.payload().readableBytes();
                }
                held.forEach(ready);
            }
        }
    }

    /**
     * Checks a chunk from a secondary: against its header checksum (damage on the way), then against the
     * primary's digest (a copy that differs). A chunk whose digest has not arrived is held (its buffer
     * kept) and handed back through {@code handle} once it does, unless the held chunks are at their bound
     * ({@link #MAX_WAITING_CHUNKS}, {@link #MAX_WAITING_BYTES}; {@link Verdict#DROPPED}) or the chunk is held
     * already ({@link Verdict#DUPLICATE}): then the caller keeps (and releases) the buffer.
     */
    Verdict verify(DownloadEvent.ChunkArrived arrived, ByteBuffer bytes) {
        ChunkHeader header = arrived.header();
        if (!verifier.get().verify(header, bytes)) {
            return Verdict.CORRUPT;
        }
        byte[] digest = digests[header.chunk()];
        if (digest == null) {
            long size = arrived.payload().readableBytes();
            if (waiting.containsKey(header.chunk())) {
                return Verdict.DUPLICATE;
            }
            if (waitingChunks >= MAX_WAITING_CHUNKS || waitingBytes + size > MAX_WAITING_BYTES) {
                return Verdict.DROPPED;
            }
            waiting.computeIfAbsent(header.chunk(), c -> new ArrayList<>()).add(arrived);
            waitingChunks++;
            waitingBytes += size;
            return Verdict.WAIT;
        }
        return MessageDigest.isEqual(digest, header.checksum().toByteArray()) ? Verdict.GOOD : Verdict.STALE;
    }

    /** The secondaries lost so far (refused, failed, unreachable), with why; in the order they were lost. */
    Map<String, String> lost() {
        return Map.copyOf(lost);
    }

    /** The download stops using {@code server}; the session's connection to it stays for later transfers. */
    private void drop(String server) {
        SecondaryConnections.Attachment attachment = attachments.remove(server);
        if (attachment != null) {
            attachment.end();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (String server : List.copyOf(attachments.keySet())) {
            drop(server);
        }
        for (List<DownloadEvent.ChunkArrived> held : waiting.values()) {
            held.forEach(DownloadEvent.ChunkArrived::release);
        }
        waiting.clear();
        waitingChunks = 0;
        waitingBytes = 0;
    }
}
