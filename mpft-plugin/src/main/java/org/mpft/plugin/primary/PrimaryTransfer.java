package org.mpft.plugin.primary;

import io.netty.handler.codec.quic.QuicChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mpft.plugin.observe.TransferLog;
import org.mpft.plugin.schedule.ChunkStrategy;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.FileChangedException;
import org.mpft.plugin.send.QuicChunkOutlet;
import org.mpft.plugin.send.Transfer;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Cancel;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.Done;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Features;
import org.mpft.protocol.Frame;
import org.mpft.protocol.LogText;
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
 * secondary that is up (a ticket each) and answers META at once, without waiting for their answers (a
 * secondary that refuses or does not confirm in time is left out: {@link TransferSecondaries}); START builds the {@link ChunkCoordinator} over the
 * primary's own {@link ChunkSender} and, through {@link TransferSecondaries}, one {@link SecondaryPath} per
 * secondary; ACK, NACK, DONE and CANCEL then drive it.
 *
 * <p>{@link #close()} ends it exactly once, whichever way it ends (DONE, CANCEL, the session failing, the
 * connection closing): the file, the sender and its buffers, and its {@link TransferSecondaries} (digests,
 * timers, every secondary's registration) are released, and events that arrive later are ignored. Confined
 * to the connection's event loop.
 */
public final class PrimaryTransfer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryTransfer.class);

    /** The phases; their names appear in the error answering a frame out of order. */
    private enum State { OPENING, START, SENDING, CLOSED }

    private final PrimaryTransfers shared;
    private final QuicChannel connection;
    private final TransferControl control;
    private final Transfer transfer;
    private final Strategy strategy;
    private final boolean compress;
    /** The client asked for the file's digest (FILE_DIGEST in OPEN and HELLO): granted when secondaries serve. */
    private final boolean fileDigest;
    private final ChunkReader reader;
    private final TransferSecondaries secondaries;
    private State state = State.OPENING;
    private ChunkCoordinator coordinator;
    private ChunkSender sender;
    /** The bytes this transfer charges the connection's paths ({@link PathBalance}); null without a cluster. */
    private PathBalance.Charges charges;
    /** True between START and the transfer line: the transfer counts in the metrics and gets its line once. */
    private boolean counted;

    PrimaryTransfer(PrimaryTransfers shared, QuicChannel connection, TransferControl control, Transfer transfer,
                    Strategy strategy, boolean compress, boolean fileDigest) {
        this.shared = shared;
        this.fileDigest = fileDigest;
        this.connection = connection;
        this.control = control;
        this.transfer = transfer;
        this.strategy = strategy;
        this.compress = compress;
        this.reader = shared.reader().compressing(compress);
        this.secondaries = new TransferSecondaries(shared, connection, control, transfer);
    }

    /** The transfer id sent in META. */
    public long id() {
        return transfer.id();
    }

    /**
     * Sends the registrations to the secondaries when there are any for this transfer, and answers META at
     * once: the registrations' answers arrive while the client starts.
     */
    void begin(boolean multiPath) {
        PrimaryCluster cluster = shared.cluster();
        ChunkPlan plan = transfer.plan();
        if (cluster == null || !multiPath || plan.chunkCount() < 2) {
            sendMeta(List.of());
            return;
        }
        sendMeta(cluster.register(transfer.id(), transfer.user().name(), transfer.path(), plan.fileSize(),
                transfer.file().lastModifiedMillis(), plan.chunkSize(), TransferSecondaries.SECONDARY_CHECKSUM,
                compress ? shared.chunks().compression() : Encoding.RAW, secondaries::listenerFor));
    }

    private void sendMeta(List<PrimaryCluster.Registration> registered) {
        secondaries.registered(registered);
        List<PrimaryCluster.Registration> registrations = secondaries.registrations();
        List<SecondaryEndpoint> endpoints = new ArrayList<>();
        for (PrimaryCluster.Registration r : registrations) {
            endpoints.add(new SecondaryEndpoint(r.slotName(), r.endpoint().host(), r.endpoint().port(),
                    r.endpoint().certificateSha256(), r.ticket()));
        }
        state = State.START;
        // the file is read ahead for its chunk digests only when secondaries serve: its digest comes with them, for
        // a file big enough that its digests are kept (a small one the client hashes as fast as it would wait)
        boolean withFileDigest = fileDigest && !endpoints.isEmpty()
                && transfer.plan().chunkCount() >= DigestAhead.MIN_STORED_CHUNKS;
        if (withFileDigest) {
            secondaries.promiseFileDigest();
        }
        control.write(new Meta(transfer.id(), transfer.plan().fileSize(), transfer.file().lastModifiedMillis(),
                transfer.plan().chunkSize(), transfer.checksum(), strategy,
                (endpoints.isEmpty() ? 0L : Features.MULTI_PATH) | (compress ? Features.COMPRESSION : 0L)
                        | (withFileDigest ? Features.FILE_DIGEST : 0L),
                endpoints));
        if (!registrations.isEmpty()) {
            LOG.info("transfer {}: {} secondaries serve too: {}", transfer.id(), registrations.size(),
                    LogText.quote(registrations.stream().map(PrimaryCluster.Registration::slotName).toList()));
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
        int chunkCount = plan.chunkCount();
        BitSet held = BitSet.valueOf(start.have().toByteArray());
        if (held.length() > chunkCount) {
            throw new ProtocolException("START holds chunk " + (held.length() - 1) + " of a file with " + chunkCount
                    + " chunks");
        }
        if (shared.cluster() != null && strategy == Strategy.ADAPTIVE) {
            List<Object> paths = new ArrayList<>();
            paths.add(PathBalance.PRIMARY);
            secondaries.registrations().forEach(r -> paths.add(r.link()));
            charges = PathBalance.of(connection).deal(plan, paths, held);
        }
        int[] owners = charges != null ? charges.openingOwners() : new int[0];
        coordinator = new ChunkCoordinator(plan, ChunkStrategy.of(strategy, settings.window(), plan.chunkSize(),
                owners), settings.chunkRetries(), System::nanoTime);
        if (charges != null) {
            coordinator.onHandOut(charges::handedOut);
        }
        state = State.SENDING;
        LOG.info("transfer {}: {} downloads {} ({} bytes, {} chunks of {}, {} already held) from {}", transfer.id(),
                LogText.quote(transfer.user().name()), LogText.quote(transfer.path()), plan.fileSize(), chunkCount, plan.chunkSize(),
                held.cardinality(), connection.remoteSocketAddress());
        shared.chunks().metrics().transferStarted();
        shared.chunks().track(transfer.id());
        counted = true;
        sender = new ChunkSender("primary", transfer, coordinator, reader, new QuicChunkOutlet(connection),
                shared.io(), connection.eventLoop(), settings.window(), this::chunkFailed,
                shared.prefetch().forPath(reader, transfer), shared.budgetOf(connection));
        coordinator.addPath(sender);
        secondaries.addPaths(coordinator);
        coordinator.start(held);
        secondaries.started(held);
    }

    private boolean onTransferFrame(Frame frame) throws MpftException {
        if (frame instanceof Ack ack) {
            checkTransfer(ack.transferId());
            checkChunk(ack.chunk());
            if (coordinator.ackedTooEarly(ack.chunk())) {
                throw new ProtocolException("ACK of chunk " + ack.chunk() + " of transfer " + transfer.id()
                        + " before the server finished sending it");
            }
            if (coordinator.acked(ack.chunk()) && charges != null) {
                charges.settled(ack.chunk());
            }
            return false;
        }
        if (frame instanceof Nack nack) {
            checkTransfer(nack.transferId());
            checkChunk(nack.chunk());
            LOG.info("transfer {}: client rejected chunk {} of {} ({}), sending it again", transfer.id(),
                    nack.chunk(), LogText.quote(transfer.path()), LogText.quote(nack.reason()));
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
            Bytes mine = secondaries.fileDigest();
            LOG.info("transfer {}: {} done, {} bytes sent in {} ms ({} MB/s), client sha256 {}{}", transfer.id(),
                    LogText.quote(transfer.path()), sender.bytesSent(), nanos / 1_000_000,
                    String.format(Locale.ROOT, "%.1f", sender.bytesSent() * 1e3 / nanos), done.sha256().hex(),
                    mine == null ? "" : mine.equals(done.sha256()) ? " (the primary's read agrees)"
                            : " (the primary read " + mine.hex() + ")");
            secondaries.logAssigned();
            end("done", true);
            return true;
        }
        if (frame instanceof Cancel cancel) {
            checkTransfer(cancel.transferId());
            LOG.info("transfer {}: {} cancelled by the client after {} of {} chunks", transfer.id(), LogText.quote(transfer.path()),
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
        if (cause instanceof FileChangedException) {
            // nothing read after the change was sent: the client starts the file over
            LOG.info("transfer {}: {} changed while chunk {} was read; the transfer ends (FILE_CHANGED)",
                    transfer.id(), LogText.quote(transfer.path()), chunk);
            control.fail(ErrorCode.FILE_CHANGED, cause.getMessage());
            return;
        }
        LOG.warn("transfer {}: cannot send chunk {} of {}: {}", transfer.id(), chunk, LogText.quote(transfer.path()),
                LogText.quote(cause.toString()));
        control.fail(ErrorCode.INTERNAL_ERROR, "the server cannot read chunk " + chunk + " of " + transfer.path()
                + " (the server's log says why)");
    }

    // ---- the end ----

    /** The connection closed under the transfer: logs how far it got, then closes it. */
    public void connectionClosed() {
        if (state == State.SENDING) {
            LOG.info("transfer {}: {} ended with the connection after {} of {} chunks", transfer.id(),
                    LogText.quote(transfer.path()), coordinator.settledCount(), coordinator.chunkCount());
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
        if (sender != null) {
            sender.stop();
        }
        if (charges != null) {
            charges.release();
        }
        secondaries.close();
        transfer.close();
    }

    /** The admin's transfer line and the counters, once per started transfer ({@code ok}: ended with DONE). */
    private void transferLine(String outcome, boolean ok) {
        counted = false;
        Map<String, Long> bytes = new LinkedHashMap<>();
        bytes.put(sender.name(), coordinator.deliveredBytes(sender));
        secondaries.deliveredBytes(bytes);
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
}
