package org.mpft.plugin.primary;

import io.netty.handler.codec.quic.QuicChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mpft.plugin.cluster.ClusterLink;
import org.mpft.plugin.observe.TransferLog;
import org.mpft.plugin.schedule.ChunkStrategy;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.QuicChunkOutlet;
import org.mpft.plugin.send.Transfer;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.Cancel;
import org.mpft.protocol.ChunkError;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ChunkSent;
import org.mpft.protocol.Done;
import org.mpft.protocol.EndTransfer;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Nack;
import org.mpft.protocol.ProtocolException;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.protocol.Start;
import org.mpft.protocol.Strategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download on the primary, from the open file to DONE or CANCEL. It registers the transfer with every
 * secondary that is up (a ticket each) and answers META; START builds the {@link ChunkCoordinator} over the
 * primary's own {@link ChunkSender} and one {@link SecondaryPath} per secondary, and {@link DigestAhead}
 * sends the primary's chunk digests so the client can check the secondaries' chunks; ACK, NACK, DONE and
 * CANCEL then drive it. A timer drops secondaries the client never attached to, another retries or drops
 * the secondaries' overdue chunks.
 *
 * <p>{@link #close()} ends it exactly once, whichever way it ends (DONE, CANCEL, the session failing, the
 * connection closing): the file, the sender and its buffers, the digests, the timers and every secondary's
 * registration are released, and events that arrive later are ignored. Confined to the connection's event
 * loop; events of the secondaries' links are handed to that loop first.
 */
public final class PrimaryTransfer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryTransfer.class);

    /** How long the primary waits for the client to attach to a secondary before dropping it. */
    static final long ATTACH_TIMEOUT_MS = 10_000;

    /** How often the primary looks for secondaries' chunks that timed out, milliseconds. */
    static final long TIMEOUT_CHECK_MS = 250;

    /** The phases; their names appear in the error answering a frame out of order. */
    private enum State { OPENING, START, SENDING, CLOSED }

    private final PrimaryTransfers shared;
    private final QuicChannel connection;
    private final TransferControl control;
    private final Transfer transfer;
    private final Strategy strategy;
    private final boolean compress;
    private final ChunkReader reader;
    private final Set<ClusterLink> attachedEarly = new HashSet<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private State state = State.OPENING;
    private List<PrimaryCluster.Registration> registrations = List.of();
    private List<SecondaryPath> secondaryPaths = List.of();
    private ChunkCoordinator coordinator;
    private ChunkSender sender;
    private DigestAhead digests;
    /** True between START and the transfer line: the transfer counts in the metrics and gets its line once. */
    private boolean counted;

    PrimaryTransfer(PrimaryTransfers shared, QuicChannel connection, TransferControl control, Transfer transfer,
                    Strategy strategy, boolean compress) {
        this.shared = shared;
        this.connection = connection;
        this.control = control;
        this.transfer = transfer;
        this.strategy = strategy;
        this.compress = compress;
        this.reader = shared.reader().compressing(compress);
    }

    /** The transfer id sent in META. */
    public long id() {
        return transfer.id();
    }

    /** Registers with the secondaries when there are any for this transfer, then answers META. */
    void begin(boolean multiPath) {
        PrimaryCluster cluster = shared.cluster();
        ChunkPlan plan = transfer.plan();
        if (cluster == null || !multiPath || plan.chunkCount() < 2) {
            sendMeta(List.of());
            return;
        }
        long id = transfer.id();
        cluster.register(id, transfer.user().name(), transfer.path(), plan.fileSize(),
                transfer.file().lastModifiedMillis(), plan.chunkSize(), transfer.checksum(),
                compress ? shared.chunks().compression() : org.mpft.protocol.Encoding.RAW, SecondaryEvents::new)
                .thenAccept(ok -> {
                    if (!onLoop(() -> registered(ok))) {
                        ok.forEach(r -> endOnSecondary(r, id));
                    }
                });
    }

    private void registered(List<PrimaryCluster.Registration> ok) {
        if (state != State.OPENING) {
            ok.forEach(r -> endOnSecondary(r, transfer.id()));
            return;
        }
        sendMeta(ok);
    }

    private void sendMeta(List<PrimaryCluster.Registration> secondaries) {
        registrations = List.copyOf(secondaries);
        List<SecondaryEndpoint> endpoints = new ArrayList<>();
        for (PrimaryCluster.Registration r : registrations) {
            endpoints.add(new SecondaryEndpoint(r.slotName(), r.endpoint().host(), r.endpoint().port(),
                    r.endpoint().certificateSha256(), r.ticket()));
        }
        state = State.START;
        control.write(new Meta(transfer.id(), transfer.plan().fileSize(), transfer.file().lastModifiedMillis(),
                transfer.plan().chunkSize(), transfer.checksum(), strategy,
                (endpoints.isEmpty() ? 0L : Features.MULTI_PATH) | (compress ? Features.COMPRESSION : 0L),
                endpoints));
        if (!registrations.isEmpty()) {
            LOG.info("transfer {}: {} secondaries serve too: {}", transfer.id(), registrations.size(),
                    registrations.stream().map(PrimaryCluster.Registration::slotName).toList());
        }
    }

    /**
     * Handles a client frame of this transfer.
     *
     * @return true when the transfer is over (DONE or CANCEL): it is closed, the session may OPEN again
     * @throws MpftException a protocol error or a failure that ends the session
     */
    public boolean handle(Frame frame) throws MpftException {
        switch (state) {
            case START -> {
                if (!(frame instanceof Start start)) {
                    throw unexpected(frame);
                }
                onStart(start);
                return false;
            }
            case SENDING -> {
                return onTransferFrame(frame);
            }
            default -> throw unexpected(frame);
        }
    }

    private void onStart(Start start) throws MpftException {
        checkTransfer(start.transferId());
        TransferSettings settings = shared.settings();
        ChunkPlan plan = transfer.plan();
        coordinator = new ChunkCoordinator(plan, ChunkStrategy.of(strategy, settings.window(), plan.chunkSize()),
                settings.chunkRetries(), System::nanoTime);
        int chunkCount = coordinator.chunkCount();
        BitSet held = BitSet.valueOf(start.have().toByteArray());
        if (held.length() > chunkCount) {
            throw new ProtocolException("START holds chunk " + (held.length() - 1) + " of a file with " + chunkCount
                    + " chunks");
        }
        state = State.SENDING;
        LOG.info("transfer {}: {} downloads {} ({} bytes, {} chunks of {}, {} already held) from {}", transfer.id(),
                transfer.user().name(), transfer.path(), plan.fileSize(), chunkCount, plan.chunkSize(),
                held.cardinality(), connection.remoteSocketAddress());
        shared.chunks().metrics().transferStarted();
        shared.chunks().track(transfer.id());
        counted = true;
        sender = new ChunkSender("primary", transfer, coordinator, reader, new QuicChunkOutlet(connection),
                shared.io(), connection.eventLoop(), settings.window(), this::chunkFailed,
                shared.prefetch().forPath(reader, transfer));
        coordinator.addPath(sender);
        List<SecondaryPath> paths = new ArrayList<>();
        for (PrimaryCluster.Registration r : registrations) {
            SecondaryPath path = new SecondaryPath(r, transfer.id(), plan, coordinator,
                    lost -> onLoop(() -> dropSecondary(lost, ErrorCode.SERVER_UNAVAILABLE, "its link is down")));
            coordinator.addPath(path, true);
            paths.add(path);
        }
        secondaryPaths = List.copyOf(paths);
        coordinator.start(held);
        if (secondaryPaths.isEmpty()) {
            return;
        }
        for (SecondaryPath path : secondaryPaths) {
            if (attachedEarly.contains(path.registration().link())) {
                path.attached();
            }
        }
        startDigests();
        timers.add(connection.eventLoop().schedule(this::dropUnattached, ATTACH_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        timers.add(connection.eventLoop().scheduleWithFixedDelay(this::checkChunkTimeouts, TIMEOUT_CHECK_MS,
                TIMEOUT_CHECK_MS, TimeUnit.MILLISECONDS));
    }

    private void startDigests() {
        digests = new DigestAhead(transfer.id(), transfer.user().name(), transfer.path(), transfer.file(),
                transfer.plan(), transfer.checksum(), shared.digestStore());
        digests.start(shared.digestPool(), (frame, frontier) -> onLoop(() -> {
            if (state == State.SENDING) {
                control.write(frame);
                coordinator.digestsUpTo(frontier);
            }
        }), e -> onLoop(() -> {
            if (state == State.SENDING) {
                LOG.warn("transfer {}: cannot compute the digests of {} ({}); the secondaries stop serving it",
                        transfer.id(), transfer.path(), e.toString());
                for (SecondaryPath path : secondaryPaths) {
                    dropSecondary(path, ErrorCode.INTERNAL_ERROR, "no digests");
                }
            }
        }));
    }

    private void dropUnattached() {
        for (SecondaryPath path : secondaryPaths) {
            if (!path.isAttached()) {
                dropSecondary(path, ErrorCode.SERVER_UNAVAILABLE, "the client did not attach within "
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
            if (state != State.SENDING) {
                return;
            }
            if (!(t.path() instanceof SecondaryPath path)) {
                continue;
            }
            if (t.stalled()) {
                dropSecondary(path, ErrorCode.CHUNK_TIMEOUT, "it delivered no chunk of " + transfer.path()
                        + " for twice its chunk timeout (" + t.timeoutMillis() + " ms, chunk " + t.chunk() + ")");
                continue;
            }
            LOG.info("transfer {}: chunk {} of {} from secondary {} timed out after {} ms; sending it again",
                    transfer.id(), t.chunk(), transfer.path(), path.name(), t.timeoutMillis());
            try {
                path.fail(t.chunk(), ErrorCode.CHUNK_TIMEOUT);
            } catch (MpftException e) {
                control.fail(e.code(), e.getMessage());
                return;
            }
        }
    }

    private boolean onTransferFrame(Frame frame) throws MpftException {
        if (frame instanceof Ack ack) {
            checkTransfer(ack.transferId());
            checkChunk(ack.chunk());
            coordinator.acked(ack.chunk());
            return false;
        }
        if (frame instanceof Nack nack) {
            checkTransfer(nack.transferId());
            checkChunk(nack.chunk());
            LOG.info("transfer {}: client rejected chunk {} of {} ({}), sending it again", transfer.id(),
                    nack.chunk(), transfer.path(), nack.reason());
            coordinator.nacked(nack.chunk(), nack.reason());
            return false;
        }
        if (frame instanceof Done done) {
            checkTransfer(done.transferId());
            if (!coordinator.isComplete()) {
                throw new ProtocolException("DONE before every chunk was acknowledged (" + coordinator.settledCount()
                        + " of " + coordinator.chunkCount() + ")");
            }
            long nanos = Math.max(1, System.nanoTime() - transfer.startNanos());
            LOG.info("transfer {}: {} done, {} bytes sent in {} ms ({} MB/s), client sha256 {}", transfer.id(),
                    transfer.path(), sender.bytesSent(), nanos / 1_000_000,
                    String.format(Locale.ROOT, "%.1f", sender.bytesSent() * 1e3 / nanos), done.sha256().hex());
            for (SecondaryPath path : secondaryPaths) {
                LOG.info("transfer {}: secondary {} was assigned {} chunks", transfer.id(), path.name(),
                        path.chunksAssigned());
            }
            end("done", true);
            return true;
        }
        if (frame instanceof Cancel cancel) {
            checkTransfer(cancel.transferId());
            LOG.info("transfer {}: {} cancelled by the client after {} of {} chunks", transfer.id(), transfer.path(),
                    coordinator.settledCount(), coordinator.chunkCount());
            end("cancelled", false);
            return true;
        }
        throw unexpected(frame);
    }

    private void chunkFailed(int chunk, Exception cause) {
        if (state == State.CLOSED) {
            return;
        }
        LOG.warn("transfer {}: cannot send chunk {} of {}: {}", transfer.id(), chunk, transfer.path(),
                cause.toString());
        control.fail(ErrorCode.INTERNAL_ERROR, "the server cannot read chunk " + chunk + " of " + transfer.path()
                + ": " + cause.getMessage());
    }

    // ---- the secondaries' events, each on this transfer's loop ----

    /** Events of one secondary for this transfer, from its cluster link. */
    private final class SecondaryEvents implements ClusterLink.TransferListener {
        private final ClusterLink link;

        SecondaryEvents(ClusterLink link) {
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
            whileOpen(() -> secondarySent(link, sent));
        }

        @Override
        public void chunkError(ChunkError error) {
            whileOpen(() -> secondaryFailed(link, error));
        }

        @Override
        public void linkDown() {
            whileOpen(() -> {
                SecondaryPath path = pathOf(link);
                if (path != null) {
                    dropSecondary(path, ErrorCode.SERVER_UNAVAILABLE, "its cluster link went down");
                }
            });
        }
    }

    /** The path of {@code link}; null before START (no paths yet) or for a link not in this transfer. */
    private SecondaryPath pathOf(ClusterLink link) {
        for (SecondaryPath path : secondaryPaths) {
            if (path.registration().link() == link) {
                return path;
            }
        }
        return null;
    }

    /** The primary's content check: the secondary's checksum of what it read must equal the primary's digest. */
    private void secondarySent(ClusterLink link, ChunkSent sent) {
        SecondaryPath path = pathOf(link);
        if (path == null) {
            return;
        }
        if (digests.digest(sent.chunk()) != null && !digests.matches(sent.chunk(), sent.checksum())) {
            LOG.warn("transfer {}: secondary {} read chunk {} of {} with checksum {}, the primary's is {}: its copy "
                    + "is stale; its chunks go to the other paths", transfer.id(), path.name(), sent.chunk(),
                    transfer.path(), sent.checksum().hex(), Bytes.of(digests.digest(sent.chunk())).hex());
            dropSecondary(path, ErrorCode.STALE_FILE, "its copy of the file differs (chunk " + sent.chunk() + ")");
        }
    }

    private void secondaryFailed(ClusterLink link, ChunkError error) {
        SecondaryPath path = pathOf(link);
        if (path == null) {
            return;
        }
        LOG.info("transfer {}: secondary {} could not send chunk {}: {} {}", transfer.id(), path.name(),
                error.chunk(), error.code(), error.message());
        try {
            path.fail(error.chunk(), error.code());
        } catch (MpftException e) {
            control.fail(e.code(), e.getMessage());
        }
    }

    private void dropSecondary(SecondaryPath path, ErrorCode code, String why) {
        if (state != State.SENDING || !coordinator.alive(path)) {
            return;
        }
        LOG.info("transfer {}: secondary {} dropped from the transfer ({}: {})", transfer.id(), path.name(), code,
                why);
        endOnSecondary(path.registration(), transfer.id());
        try {
            coordinator.dropPath(path, code);
        } catch (MpftException e) {
            control.fail(e.code(), e.getMessage());
        }
    }

    private static void endOnSecondary(PrimaryCluster.Registration registration, long id) {
        registration.link().send(new EndTransfer(id));
        registration.link().forget(id);
    }

    // ---- the end ----

    /** The connection closed under the transfer: logs how far it got, then closes it. */
    public void connectionClosed() {
        if (state == State.SENDING) {
            LOG.info("transfer {}: {} ended with the connection after {} of {} chunks", transfer.id(),
                    transfer.path(), coordinator.settledCount(), coordinator.chunkCount());
        }
        close();
    }

    /** Ends the transfer (the session failed or closed): idempotent, releases everything. */
    @Override
    public void close() {
        end("ended", false);
    }

    private void end(String outcome, boolean ok) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (counted) {
            transferLine(outcome, ok);
        }
        timers.forEach(timer -> timer.cancel(false));
        timers.clear();
        if (sender != null) {
            sender.stop();
        }
        if (digests != null) {
            digests.stop();
        }
        secondaryPaths.forEach(SecondaryPath::dropped);
        registrations.forEach(r -> endOnSecondary(r, transfer.id()));
        registrations = List.of();
        secondaryPaths = List.of();
        attachedEarly.clear();
        transfer.close();
    }

    /** The admin's transfer line and the counters, once per started transfer ({@code ok}: ended with DONE). */
    private void transferLine(String outcome, boolean ok) {
        counted = false;
        Map<String, Long> bytes = new LinkedHashMap<>();
        bytes.put(sender.name(), coordinator.deliveredBytes(sender));
        for (SecondaryPath path : secondaryPaths) {
            bytes.put(path.name(), coordinator.deliveredBytes(path));
        }
        long nanos = System.nanoTime() - transfer.startNanos();
        shared.chunks().metrics().transferEnded(ok, bytes, nanos, coordinator.retries());
        TransferLog.finished(outcome, transfer.id(), transfer.user().name(), transfer.path(),
                transfer.plan().fileSize(), bytes, nanos, coordinator.retries(), shared.chunks().finish(transfer.id()));
        TransferLog.network(transfer.id(), connection);
    }

    // ---- helpers ----

    private void checkTransfer(long transferId) throws ProtocolException {
        if (transferId != transfer.id()) {
            throw new ProtocolException("unknown transfer " + transferId);
        }
    }

    private void checkChunk(int chunk) throws ProtocolException {
        if (chunk < 0 || chunk >= coordinator.chunkCount()) {
            throw new ProtocolException("chunk " + chunk + " out of range [0, " + coordinator.chunkCount() + ")");
        }
    }

    private ProtocolException unexpected(Frame frame) {
        return new ProtocolException("unexpected " + frame.type() + " frame in state " + state);
    }

    /** Runs {@code task} on the loop unless the transfer has ended by then. */
    private void whileOpen(Runnable task) {
        onLoop(() -> {
            if (state != State.CLOSED) {
                task.run();
            }
        });
    }

    private boolean onLoop(Runnable task) {
        try {
            connection.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
