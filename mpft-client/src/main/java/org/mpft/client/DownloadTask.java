package org.mpft.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.Cancel;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Done;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.FileDigest;
import org.mpft.protocol.Frame;
import org.mpft.protocol.LogText;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Nack;
import org.mpft.protocol.Open;
import org.mpft.protocol.Start;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download, run on its own thread: a logged-in session from its {@link SessionSource} (a new connection,
 * HELLO and login, or a batch worker's kept session), OPEN, META, open the partial download
 * ({@link ChunkManager}), START with the chunks already held, then verify, write and ACK every chunk as
 * it arrives (NACK and count a retry when its checksum fails), and finally fsync, hash, rename and DONE.
 * With a {@link FileFinisher} (a batch), DONE goes first and the finisher makes the file durable: the worker's
 * session is free for the next file while the disk works, and the outcome completes once the file is durable.
 * Every network event reaches this thread through one queue, so the download's state has one owner.
 */
final class DownloadTask implements BatchRun.FileTask {

    private static final Logger LOG = LoggerFactory.getLogger(DownloadTask.class);

    /** How long a connection attempt may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** How long the server may stay silent before the download fails. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    /** How often the listener hears about progress. */
    static final long PROGRESS_INTERVAL_MS = 200;

    /** How long to wait for the server to close after DONE. */
    static final Duration DONE_GRACE = Duration.ofSeconds(1);

    private final QuicTransport transport;
    private final TransportSettings settings;
    private final DownloadRequest request;
    private final ProgressNotifier notifier;
    private final ChunkRetries retries;
    private final DownloadEvents events = new DownloadEvents();
    private final CompletableFuture<DownloadResult> outcome = new CompletableFuture<>();
    private final ProgressTracker progress = new ProgressTracker(System::nanoTime);
    private final ChunkDecoder decoder = new ChunkDecoder(org.mpft.transport.ChunkBuffers.ALLOCATOR);
    private final SessionSource sessions;
    /** Null: the file is committed before DONE, on this thread; else after DONE, by the finisher. */
    private final FileFinisher finisher;
    /** The download once sealed (whole, verified), for the finisher to commit before the outcome completes. */
    private ChunkManager sealed;
    /** the chunk bytes buffered at once, over every stream of every server of the source's downloads */
    private final ReceiveBudget budget;
    private volatile ChunkVerifier verifier;
    private SecondaryPaths secondaries;
    private ChunkManager currentChunks;
    private KeptChunkCheck kept;
    private volatile boolean cancelled;
    private volatile Thread runner;
    private volatile boolean connecting;
    /** The file changed during the first attempt: the partial download is not resumed but thrown away. */
    private boolean startOver;
    private BitSet have = new BitSet();
    private final ChunkLatencies.Recorder latencies = new ChunkLatencies.Recorder();
    /** Chunks received and thrown away: duplicates, or beyond the bound of chunks held for digests. */
    private int droppedChunks;

    /**
     * A download on {@code sessions}: {@link SessionSource#single} for a download of its own, a batch worker's
     * kept one; {@code finisher}: see its field.
     */
    DownloadTask(QuicTransport transport, TransportSettings settings, DownloadRequest request,
                 ProgressListener listener, SessionSource sessions, FileFinisher finisher) {
        this.sessions = sessions;
        this.finisher = finisher;
        this.budget = sessions.budget();
        this.transport = transport;
        this.settings = settings;
        this.request = request;
        this.notifier = new ProgressNotifier(listener, progress);
        this.retries = new ChunkRetries(request.retries());
        progress.addPath(request.server(), "primary");
    }

    @Override
    public TransferProgress progress() {
        return progress.snapshot();
    }

    @Override
    public void cancel() {
        if (outcome.isDone()) {
            return;
        }
        cancelled = true;
        events.add(new DownloadEvent.Cancelled());
        Thread thread = runner;
        if (connecting && thread != null) {
            thread.interrupt(); // only while connecting: an interrupt during a file write would close the file
        }
    }

    @Override
    public void markCancelled() {
        cancelled = true;
    }

    @Override
    public CompletableFuture<DownloadResult> outcome() {
        return outcome.copy();
    }

    @Override
    public DownloadResult await() throws MpftException, InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw DownloadErrors.awaited(e.getCause(), request);
        }
    }

    /** Ends when the download does; called by the thread the client starts. */
    @Override
    public void run() {
        runner = Thread.currentThread();
        DownloadResult result = null;
        Throwable failure;
        try {
            result = execute();
            failure = null;
        } catch (MpftException | InterruptedException e) {
            failure = DownloadErrors.ofAttempt(e, request, cancelled);
        } catch (Throwable t) {
            LOG.debug("download failed", t);
            failure = DownloadErrors.ofAttempt(t, request, cancelled);
        }
        try {
            events.close(); // late chunks of this transfer are released, not queued for nobody
            decoder.close();
            notifier.now();
        } finally {
            // only now: whoever awaits the download has heard its last progress (100% on success) first
            if (sealed != null) {
                finisher.commit(sealed, request.output(), result, failure, outcome);
            } else if (failure == null) {
                outcome.complete(result);
            } else {
                outcome.completeExceptionally(failure);
            }
        }
    }

    private DownloadResult execute() throws MpftException, InterruptedException, IOException {
        long started = System.nanoTime();
        return ChangedFileRestart.run(() -> new BusyBackoff(request.busyWait(), Math::random).run(
                () -> attempt(started), () -> currentChunks == null && !cancelled, this::waitWhileBusy,
                System::currentTimeMillis), this::startOver, request.remotePath(), request.output());
    }

    /** The file changed on the server: the next attempt drops the partial download and the last one's events. */
    private void startOver() {
        events.abandonAttempt();
        currentChunks = null;
        secondaries = null;
        have = new BitSet();
        startOver = true;
    }

    /** Before a busy server is asked again on a new connection: shows "server busy", waits; a cancel ends it. */
    private void waitWhileBusy(long delayMs) throws MpftException, InterruptedException {
        LOG.info("{} is busy; trying again in {} ms", LogText.quote(request.server()), delayMs);
        events.abandonAttempt(); // the refused connection's late events are dropped
        progress.status("server busy, retrying in " + (delayMs + 999) / 1000 + "s");
        notifier.now();
        if (!events.pause(delayMs * 1_000_000L) || cancelled) {
            throw cancelledError(null);
        }
        progress.status(null);
    }

    private DownloadResult attempt(long started) throws MpftException, InterruptedException, IOException {
        TransferLane lane;
        connecting = true; // a cancel interrupts the connection, the login and the wait for a free stream
        try {
            if (cancelled) {
                throw cancelledError(null);
            }
            lane = sessions.acquire(request, CONNECT_TIMEOUT, STALL_TIMEOUT, events.attemptSink(), () -> verifier);
        } catch (InterruptedException e) {
            if (cancelled) {
                throw cancelledError(null);
            }
            throw e;
        } finally {
            connecting = false;
            Thread.interrupted(); // a cancel may have interrupted us after connect returned
        }
        ClientSession session = lane.session();
        boolean done = false;
        try {
            DownloadResult result = converse(session, lane, started);
            done = true;
            return result;
        } finally {
            sessions.release(lane, done); // kept after DONE or a refused OPEN, else closed
        }
    }

    private DownloadResult converse(ClientSession session, TransferLane lane, long started)
            throws MpftException, InterruptedException, IOException {
        TransferLane connection = lane; // the transfer's own stream: the control stream or a transfer stream
        connection.send(new Open(request.remotePath(), request.strategy(),
                (request.compress() ? Features.COMPRESSION : 0L) | (request.hashLocally() ? 0L : Features.FILE_DIGEST)));
        Meta meta = expect(Meta.class, null);
        VouchedSecondaries.check(meta, request.server());
        ChunkPlan plan = meta.plan();
        ChunkManager chunks;
        try {
            chunks = ChunkManager.open(request.output(), new FileIdentity(request.server(), request.remotePath(),
                    meta.size(), meta.mtimeMillis(), meta.chunkSize()), request.resume() && !startOver,
                    FreeSpace.FILE_STORE, FlushTimer.DAEMON, LocalUser.PROCESS);
        } catch (IOException e) {
            throw new MpftException(DownloadErrors.ioCode(e), "cannot write " + request.output() + ": "
                    + e.getMessage(), e);
        }
        kept = new KeptChunkCheck(chunks::readBack, plan, chunks.held(), request.remotePath(), events.attemptSink());
        try {
            if (chunks.restartReason() != null) {
                LOG.info("starting {} over: {}", request.output(), LogText.quote(chunks.restartReason()));
            } else if (chunks.rejectedChunks() > 0) {
                LOG.info("{} kept chunks of {} changed on disk; fetching them again", chunks.rejectedChunks(),
                        request.output());
            }
            have = chunks.held();
            currentChunks = chunks;
            if (!request.hashLocally() && Features.has(meta.features(), Features.FILE_DIGEST)) {
                LOG.debug("the SHA-256 of {} comes from the primary", LogText.quote(request.remotePath()));
                chunks.fileDigest().deferToPrimary();
            }
            long resumedBytes = plan.fileSize() - KeptChunks.missingBytes(plan, have);
            progress.planned(meta.size(), plan.chunkCount(), resumedBytes, have.cardinality());
            verifier = new ChunkVerifier(meta.transferId(), plan, meta.checksumAlgorithm(), request.remotePath(),
                    request.compress() && Features.has(meta.features(), Features.COMPRESSION));
            if (!meta.secondaries().isEmpty()) {
                secondaries = new SecondaryPaths(session.secondaries(), request, meta, events.attemptSink(),
                        () -> verifier);
                for (String server : secondaries.servers()) {
                    progress.addPath(server, "secondary");
                }
            }
            connection.send(new Start(meta.transferId(), Bytes.of(have.toByteArray())));
            if (secondaries != null) {
                secondaries.attachAll();
            }
            notifier.now();
            while (!chunks.isComplete() || kept.awaitingDigests() || chunks.fileDigest().awaitsPrimary()) {
                // a cancel goes before chunks already queued: it stops the download now
                DownloadEvent event = cancelled ? new DownloadEvent.Cancelled() : next();
                if (event instanceof DownloadEvent.ChunkArrived chunk) {
                    onChunk(connection, meta, chunks, chunk);
                } else {
                    onOtherEvent(event, connection, meta);
                }
                notifier.maybe();
            }
            kept.finish(); // the kept chunks are the server's, or FILE_CHANGED
            String sha256;
            try {
                sha256 = finisher == null ? chunks.finish() : chunks.seal();
                sealed = finisher == null ? null : chunks; // whole and verified: committed whatever happens next
            } catch (IOException e) {
                throw new MpftException(DownloadErrors.ioCode(e), "cannot complete " + request.output() + ": "
                        + e.getMessage(), e);
            }
            sessions.finish(lane, new Done(meta.transferId(), Bytes.fromHex(sha256)), DONE_GRACE);
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            if (secondaries != null) {
                secondaries.lost().forEach(progress::lost);
            }
            return new DownloadResult(request.output(), meta.size(), sha256, elapsedMs, plan.chunkCount(), retries.retries(),
                    chunks.resumedChunks(), progress.summaries(), latencies.done(), droppedChunks);
        } finally {
            if (secondaries != null) {
                secondaries.close();
            }
            kept.close();
            chunks.closeQuietly();
        }
    }

    private void onChunk(TransferLane connection, Meta meta, ChunkManager chunks,
                         DownloadEvent.ChunkArrived arrived) throws MpftException {
        ChunkHeader header = arrived.header();
        int index = header.chunk();
        try {
            if (have.get(index)) {
                droppedChunks++; // a duplicate: already written, its buffer released below
                connection.send(new Ack(meta.transferId(), index));
                return;
            }
            arrived = decoder.decode(arrived); // compressed chunks back to their original bytes
            ByteBuffer bytes = arrived.payload().nioBuffer();
            SecondaryPaths.Verdict verdict = secondaries != null && secondaries.isSecondary(arrived.server())
                    ? secondaries.verify(arrived, bytes) : null;
            if (verdict == SecondaryPaths.Verdict.WAIT) {
                arrived = null; // held until the primary's digest arrives: the buffer is no longer ours
                return;
            }
            if (verdict == SecondaryPaths.Verdict.DUPLICATE) {
                droppedChunks++;
                return;
            }
            if (verdict == SecondaryPaths.Verdict.DROPPED) {
                droppedChunks++;
                LOG.info("chunk {} of {} from {} dropped: too many chunks wait for the primary's digests", index,
                        LogText.quote(request.remotePath()), LogText.quote(arrived.server()));
                connection.send(new Nack(meta.transferId(), index, ErrorCode.STALE_FILE)); // fetched again
                return;
            }
            if (verdict == SecondaryPaths.Verdict.STALE) {
                LOG.info("chunk {} of {} from {} differs from the primary's copy; fetching it again", index,
                        LogText.quote(request.remotePath()), LogText.quote(arrived.server()));
                connection.send(new Nack(meta.transferId(), index, ErrorCode.STALE_FILE));
                return;
            }
            if (verdict == SecondaryPaths.Verdict.CORRUPT || (verdict == null && !verifier.verify(header, bytes))) {
                int count = retries.failed(index);
                if (retries.exhausted(count)) {
                    throw new MpftException(ErrorCode.CHUNK_CORRUPTION, "chunk " + index + " of "
                            + request.remotePath() + " from " + arrived.server() + " failed its "
                            + header.checksumAlgorithm() + " checksum " + count + " times");
                }
                LOG.info("chunk {} of {} from {} failed its checksum; fetching it again ({} of {})", index,
                        LogText.quote(request.remotePath()), LogText.quote(arrived.server()), count, retries.allowed());
                connection.send(new Nack(meta.transferId(), index, ErrorCode.CHUNK_CORRUPTION));
                return;
            }
            try {
                chunks.write(index, bytes);
            } catch (IOException e) {
                throw new MpftException(DownloadErrors.ioCode(e), "cannot write chunk " + index + " of "
                        + request.remotePath() + " (from " + arrived.server() + ") to " + request.output() + ": "
                        + e.getMessage(), e);
            }
            have.set(index);
            connection.send(new Ack(meta.transferId(), index));
            progress.received(arrived.server(), index, header.length());
            latencies.add(System.nanoTime() - arrived.firstByteNanos());
        } finally {
            if (arrived != null) {
                arrived.release();
            }
        }
    }

    private void onOtherEvent(DownloadEvent event, TransferLane connection, Meta meta) throws MpftException {
        if (meta != null && Features.has(meta.features(), Features.FILE_DIGEST) && event instanceof
                DownloadEvent.ControlFrame c && c.frame() instanceof FileDigest d && d.transferId() == meta.transferId()) {
            currentChunks.fileDigest().fromPrimary(d.sha256().toByteArray());
            return;
        }
        if (kept != null && event instanceof DownloadEvent.ControlFrame c && c.frame() instanceof ChunkDigests d) {
            kept.onDigests(d);
            if (secondaries == null) {
                return;
            }
        }
        if (secondaries != null && connection != null && (event instanceof DownloadEvent.External
                || event instanceof DownloadEvent.ControlFrame control && control.frame() instanceof ChunkDigests)) {
            List<DownloadEvent.ChunkArrived> ready = new ArrayList<>();
            secondaries.handle(event, ready::add);
            for (DownloadEvent.ChunkArrived chunk : ready) {
                onChunk(connection, meta, currentChunks, chunk);
            }
            return;
        }
        if (event instanceof DownloadEvent.External) {
            return; // a secondary's late news after the end
        }
        if (event instanceof DownloadEvent.Cancelled) {
            connection.send(new Cancel(meta.transferId()));
            throw cancelledError(meta);
        }
        if (event instanceof DownloadEvent.Failed failed) {
            throw failed.error();
        }
        Frame frame = ((DownloadEvent.ControlFrame) event).frame();
        if (frame instanceof ErrorFrame error) {
            throw DownloadErrors.server(request, error);
        }
        throw new MpftException(ErrorCode.PROTOCOL_ERROR, request.server() + " sent an unexpected "
                + frame.type() + " frame during the transfer of " + request.remotePath());
    }

    /** Waits for one control frame of a kind; ERROR, a failure or a cancel ends the download. */
    private <T extends Frame> T expect(Class<T> type, Meta meta) throws MpftException, InterruptedException {
        DownloadEvent event = next();
        if (event instanceof DownloadEvent.ControlFrame control && type.isInstance(control.frame())) {
            return type.cast(control.frame());
        }
        if (event instanceof DownloadEvent.ChunkArrived chunk) {
            chunk.release();
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, request.server() + " sent chunk "
                    + chunk.header().chunk() + " before START");
        }
        if (event instanceof DownloadEvent.ControlFrame control && !(control.frame() instanceof ErrorFrame)) {
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, request.server() + " sent " + control.frame().type()
                    + " where " + type.getSimpleName() + " was expected");
        }
        if (event instanceof DownloadEvent.Cancelled) {
            throw cancelledError(meta);
        }
        onOtherEvent(event, null, meta);
        throw new AssertionError("unreachable");
    }

    private DownloadEvent next() throws MpftException, InterruptedException {
        DownloadEvent event = events.next(STALL_TIMEOUT, PROGRESS_INTERVAL_MS, notifier::maybe);
        if (event == null) {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, request.server() + " sent nothing for "
                    + STALL_TIMEOUT.toSeconds() + " s during the download of " + request.remotePath());
        }
        return event;
    }

    private MpftException cancelledError(Meta meta) {
        return DownloadErrors.cancelled(request, meta, have.cardinality());
    }
}
