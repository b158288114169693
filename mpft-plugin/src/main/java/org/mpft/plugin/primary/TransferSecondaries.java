package org.mpft.plugin.primary;

import io.netty.handler.codec.quic.QuicChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mpft.plugin.cluster.ClusterLink;
import org.mpft.plugin.send.FileChangedException;
import org.mpft.plugin.send.Transfer;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkError;
import org.mpft.protocol.ChunkSent;
import org.mpft.protocol.EndTransfer;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.FileDigest;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.transport.EventLoops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondaries of one {@link PrimaryTransfer}: the registrations it sent before META (a secondary that
 * refuses or does not confirm its registration in time is left out: before START no path is made for it,
 * after START its path is dropped and its chunks move to the paths left), and from START
 * one {@link SecondaryPath} each, the {@link DigestAhead} that lets them serve, their events (the client
 * attached, CHUNK_SENT checked against the primary's digests, CHUNK_ERROR, the link going down), a timer
 * that drops those the client never attached to and one that retries or drops their overdue chunks.
 * {@link #close()} stops it all and sends END_TRANSFER to each secondary, once. Confined to the
 * connection's event loop; the links' events are handed to that loop first.
 */
final class TransferSecondaries {

    private static final Logger LOG = LoggerFactory.getLogger(TransferSecondaries.class);

    /** How long the primary waits for the client to attach to a secondary before dropping it. */
    static final long ATTACH_TIMEOUT_MS = 10_000;

    /** How often the primary looks for secondaries' chunks that timed out, milliseconds. */
    static final long TIMEOUT_CHECK_MS = 250;

    /**
     * How secondaries' chunks are checked, whatever {@code mpft.checksum} says: the client compares each with
     * the primary's digest, and only a cryptographic hash stops a secondary from forging bytes that pass.
     */
    static final ChecksumAlgorithm SECONDARY_CHECKSUM = ChecksumAlgorithm.SHA256;

    private final PrimaryTransfers shared;
    private final QuicChannel connection;
    private final TransferControl control;
    private final Transfer transfer;
    private final Set<ClusterLink> attachedEarly = new HashSet<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private List<PrimaryCluster.Registration> registrations = List.of();
    private List<SecondaryPath> paths = List.of();
    private ChunkCoordinator coordinator;
    private DigestAhead digests;
    /** META granted FILE_DIGEST: the client waits for one FILE_DIGEST frame, empty when there is no digest. */
    private boolean fileDigestPromised;
    /** The whole file's SHA-256 from the digests' read of it, once known (granted or not). */
    private Bytes fileDigest;
    private boolean closed;

    TransferSecondaries(PrimaryTransfers shared, QuicChannel connection, TransferControl control, Transfer transfer) {
        this.shared = shared;
        this.connection = connection;
        this.control = control;
        this.transfer = transfer;
    }

    /** The listener of one secondary's events of this transfer. */
    ClusterLink.TransferListener listenerFor(ClusterLink link) {
        return new Events(link);
    }

    /**
     * The registrations sent (listed in META), their answers still to come: each one that fails leaves its
     * secondary out of the transfer.
     */
    void registered(List<PrimaryCluster.Registration> secondaries) {
        registrations = List.copyOf(secondaries);
        for (PrimaryCluster.Registration r : registrations) {
            r.confirmed().whenComplete((ok, error) -> {
                if (error != null && !(error instanceof java.util.concurrent.CancellationException)) {
                    whileOpen(() -> unconfirmed(r, error));
                }
            });
        }
    }

    /** {@code r}'s secondary refused the transfer or did not confirm it in time: it serves none of it. */
    private void unconfirmed(PrimaryCluster.Registration r, Throwable error) {
        if (!registrations.contains(r)) {
            return;
        }
        SecondaryPath path = pathOf(r.link());
        if (path == null) { // before START: it never becomes a path
            registrations = registrations.stream().filter(other -> other != r).toList();
            endOn(r, transfer.id());
            return;
        }
        ErrorCode code = error instanceof MpftException e ? e.code() : ErrorCode.SERVER_UNAVAILABLE;
        drop(path, code, "it did not take the transfer: " + PrimaryCluster.reason(error));
    }

    /** The secondaries that registered the transfer. */
    List<PrimaryCluster.Registration> registrations() {
        return registrations;
    }

    /** META told the client a FILE_DIGEST follows: exactly one is sent, empty when the digest cannot be had. */
    void promiseFileDigest() {
        fileDigestPromised = true;
    }

    /** START: one path per secondary in {@code coordinator} (before it starts). */
    void addPaths(ChunkCoordinator coordinator) {
        this.coordinator = coordinator;
        List<SecondaryPath> added = new ArrayList<>();
        for (PrimaryCluster.Registration r : registrations) {
            SecondaryPath path = new SecondaryPath(r, transfer.id(), transfer.plan(), coordinator,
                    lost -> onLoop(() -> drop(lost, ErrorCode.SERVER_UNAVAILABLE, "its link is down")));
            coordinator.addPath(path, true);
            added.add(path);
        }
        paths = List.copyOf(added);
    }

    /**
     * The coordinator started: secondaries the client attached to already may send; digests and timers run.
     * Without secondaries, a client that resumes ({@code held} not empty) still gets the digests of the chunks it
     * kept, to check them against this copy of the file before it trusts them.
     */
    void started(BitSet held) {
        if (paths.isEmpty()) {
            sendFileDigest(Bytes.EMPTY); // the secondaries were left out before START: the file is not read ahead
            if (!held.isEmpty()) {
                startDigests((BitSet) held.clone()); // read on the digest thread
            }
            return;
        }
        for (SecondaryPath path : paths) {
            if (attachedEarly.contains(path.registration().link())) {
                path.attached();
            }
        }
        startDigests(null);
        timers.add(connection.eventLoop().schedule(this::dropUnattached, ATTACH_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        timers.add(connection.eventLoop().scheduleWithFixedDelay(this::checkChunkTimeouts, TIMEOUT_CHECK_MS,
                TIMEOUT_CHECK_MS, TimeUnit.MILLISECONDS));
    }

    /** Starts the digests of every chunk ({@code only} null), or of {@code only} (then no secondary waits for them). */
    private void startDigests(BitSet only) {
        String version;
        try {
            version = transfer.version(); // digests are kept per file version: mtime alone can be set back
        } catch (java.io.IOException e) {
            control.fail(e instanceof FileChangedException ? ErrorCode.FILE_CHANGED : ErrorCode.INTERNAL_ERROR,
                    e instanceof FileChangedException ? e.getMessage() : "the server cannot read " + transfer.path());
            return;
        }
        digests = new DigestAhead(transfer.id(), transfer.user().name(), transfer.path() + "\u0000" + version,
                transfer.file(), transfer.plan(), SECONDARY_CHECKSUM, shared.digestStore(), only);
        digests.start(shared.digestPool(), (frame, frontier) -> whileOpen(() -> {
            control.write(frame);
            if (only == null) {
                coordinator.digestsUpTo(frontier);
            }
        }), file -> whileOpen(() -> {
            fileDigest = Bytes.of(file);
            sendFileDigest(fileDigest);
        }), e -> whileOpen(() -> {
            if (e instanceof FileChangedException) {
                LOG.info("transfer {}: {} changed while its digests were computed; the transfer ends (FILE_CHANGED)",
                        transfer.id(), transfer.path());
                control.fail(ErrorCode.FILE_CHANGED, e.getMessage());
                return;
            }
            if (only != null) { // the client waits for them before it trusts its kept chunks
                LOG.warn("transfer {}: cannot compute the digests of {} ({})", transfer.id(), transfer.path(),
                        e.toString());
                control.fail(ErrorCode.INTERNAL_ERROR, "the server cannot read " + transfer.path()
                        + " to check the chunks kept by the client");
                return;
            }
            LOG.warn("transfer {}: cannot compute the digests of {} ({}); the secondaries stop serving it",
                    transfer.id(), transfer.path(), e.toString());
            sendFileDigest(Bytes.EMPTY); // the client hashes the file itself
            for (SecondaryPath path : paths) {
                drop(path, ErrorCode.INTERNAL_ERROR, "no digests");
            }
        }));
    }

    /** The whole file's SHA-256 as the primary read it for the chunk digests, or null (not read whole, or not yet). */
    Bytes fileDigest() {
        return fileDigest;
    }

    private void sendFileDigest(Bytes sha256) {
        if (fileDigestPromised) {
            fileDigestPromised = false; // once
            control.write(new FileDigest(transfer.id(), sha256));
        }
    }

    private void dropUnattached() {
        for (SecondaryPath path : paths) {
            if (!path.isAttached()) {
                drop(path, ErrorCode.SERVER_UNAVAILABLE, "the client did not attach within "
                        + ATTACH_TIMEOUT_MS / 1000 + " s");
            }
        }
    }

    /**
     * Every {@value #TIMEOUT_CHECK_MS} ms while the transfer runs: a secondary's chunk that timed out is sent
     * again (then moved), and a secondary that stalled is dropped (its chunks move to the paths left).
     */
    private void checkChunkTimeouts() {
        for (ChunkCoordinator.TimedOut t : coordinator.overdue(shared.settings().chunkTimeouts())) {
            if (closed) {
                return;
            }
            if (!(t.path() instanceof SecondaryPath path)) {
                continue;
            }
            if (t.stalled()) {
                drop(path, ErrorCode.CHUNK_TIMEOUT, "it delivered no chunk of " + transfer.path()
                        + " for twice its chunk timeout (" + t.timeoutMillis() + " ms, chunk " + t.chunk() + ")");
                continue;
            }
            LOG.info("transfer {}: chunk {} of {} from secondary {} timed out after {} ms; sending it again",
                    transfer.id(), t.chunk(), LogText.quote(transfer.path()), LogText.quote(path.name()), t.timeoutMillis());
            try {
                path.fail(t.chunk(), ErrorCode.CHUNK_TIMEOUT);
            } catch (MpftException e) {
                control.fail(e.code(), e.getMessage());
                return;
            }
        }
    }

    /** Events of one secondary for this transfer, from its cluster link. */
    private final class Events implements ClusterLink.TransferListener {
        private final ClusterLink link;

        Events(ClusterLink link) {
            this.link = link;
        }

        @Override
        public void attached() {
            whileOpen(() -> {
                SecondaryPath path = pathOf(link);
                if (path == null) {
                    attachedEarly.add(link);
                } else {
                    path.attached();
                }
            });
        }

        @Override
        public void chunkSent(ChunkSent sent) {
            whileOpen(() -> sent(link, sent));
        }

        @Override
        public void chunkError(ChunkError error) {
            whileOpen(() -> failed(link, error));
        }

        @Override
        public void linkDown() {
            whileOpen(() -> {
                SecondaryPath path = pathOf(link);
                if (path != null) {
                    drop(path, ErrorCode.SERVER_UNAVAILABLE, "its cluster link went down");
                }
            });
        }
    }

    /** The path of {@code link}; null before START (no paths yet) or for a link not in this transfer. */
    private SecondaryPath pathOf(ClusterLink link) {
        for (SecondaryPath path : paths) {
            if (path.registration().link() == link) {
                return path;
            }
        }
        return null;
    }

    /** The primary's content check: the secondary's checksum of what it read must equal the primary's digest. */
    private void sent(ClusterLink link, ChunkSent sent) {
        SecondaryPath path = pathOf(link);
        if (path == null) {
            return;
        }
        if (digests.digest(sent.chunk()) != null && !digests.matches(sent.chunk(), sent.checksum())) {
            LOG.warn("transfer {}: secondary {} read chunk {} of {} with checksum {}, the primary's is {}: its copy "
                    + "is stale; its chunks go to the other paths", transfer.id(), LogText.quote(path.name()), sent.chunk(),
                    LogText.quote(transfer.path()), sent.checksum().hex(), Bytes.of(digests.digest(sent.chunk())).hex());
            drop(path, ErrorCode.STALE_FILE, "its copy of the file differs (chunk " + sent.chunk() + ")");
        }
    }

    private void failed(ClusterLink link, ChunkError error) {
        SecondaryPath path = pathOf(link);
        if (path == null) {
            return;
        }
        LOG.info("transfer {}: secondary {} could not send chunk {}: {} {}", transfer.id(), LogText.quote(path.name()),
                error.chunk(), error.code(), LogText.quote(error.message()));
        if (error.code() == ErrorCode.FILE_CHANGED) {
            // the secondary's copy moved under it: nothing mixed was sent, and the file starts over as a whole
            control.fail(ErrorCode.FILE_CHANGED, transfer.path() + " changed on the server while it was being sent");
            return;
        }
        try {
            path.fail(error.chunk(), error.code());
        } catch (MpftException e) {
            control.fail(e.code(), e.getMessage());
        }
    }

    private void drop(SecondaryPath path, ErrorCode code, String why) {
        if (closed || !coordinator.alive(path)) {
            return;
        }
        LOG.info("transfer {}: secondary {} dropped from the transfer ({}: {})", transfer.id(), LogText.quote(path.name()), code,
                LogText.quote(why));
        endOn(path.registration(), transfer.id());
        try {
            coordinator.dropPath(path, code);
        } catch (MpftException e) {
            control.fail(e.code(), e.getMessage());
        }
    }

    /** Tells a secondary the transfer ended there and forgets its events. */
    static void endOn(PrimaryCluster.Registration registration, long id) {
        registration.link().send(new EndTransfer(id));
        registration.link().forget(id);
    }

    /** Logs the chunks each secondary was assigned (DONE). */
    void logAssigned() {
        for (SecondaryPath path : paths) {
            LOG.info("transfer {}: secondary {} was assigned {} chunks", transfer.id(), LogText.quote(path.name()),
                    path.chunksAssigned());
        }
    }

    /** Adds each secondary's delivered bytes to {@code bytes} (for the transfer line). */
    void deliveredBytes(Map<String, Long> bytes) {
        for (SecondaryPath path : paths) {
            bytes.put(path.name(), coordinator.deliveredBytes(path));
        }
    }

    /** Stops the timers and the digests, stops the paths and ends the transfer on every secondary. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        timers.forEach(timer -> timer.cancel(false));
        timers.clear();
        if (digests != null) {
            digests.stop();
        }
        paths.forEach(SecondaryPath::dropped);
        registrations.forEach(r -> endOn(r, transfer.id()));
        registrations = List.of();
        paths = List.of();
        attachedEarly.clear();
    }

    /** Runs {@code task} on the loop unless the transfer has ended by then. */
    private void whileOpen(Runnable task) {
        onLoop(() -> {
            if (!closed) {
                task.run();
            }
        });
    }

    private boolean onLoop(Runnable task) {
        return EventLoops.tryExecute(connection.eventLoop(), task);
    }
}
