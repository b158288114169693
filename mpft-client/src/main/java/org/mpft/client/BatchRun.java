package org.mpft.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running batch: {@link BatchRequest#sessions()} groups of {@link BatchRequest#transfersPerSession()} workers,
 * each group sharing a {@link SessionSource} (one logged-in session kept from file to file, its workers' files
 * in flight at once on it), take files from one queue ({@link BatchOrder}: the bigger files
 * biggest first, the files of one chunk dealt in among them). A failed file is recorded and the others
 * go on (with fail-fast, the batch stops instead). A worker hands each received file to the {@link FileFinisher}
 * and goes on with its next file; the file is reported and recorded in the {@link BatchManifest} once it is
 * durable under its final name. The manifest is deleted when every file succeeded. A coordinator thread reports
 * progress and ends the batch once the workers and the finisher are done.
 */
final class BatchRun implements Batch {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final BatchRequest request;
    private final BatchListener listener;
    private final TaskFactory tasks;
    private final FileOutcome[] outcomes;
    private final List<Integer> queue = new ArrayList<>();
    private final Map<Integer, FileTask> running = new ConcurrentHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger filesDone = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicLong endedBytes = new AtomicLong();
    private final AtomicLong networkBytes = new AtomicLong();
    private final long totalBytes;
    private final long startedNanos = System.nanoTime();
    private volatile boolean stopped;
    private volatile BatchResult result;
    private BatchManifest manifest;
    private FileFinisher finisher;
    /** Files taken by a worker and not reported yet (guarded by this). */
    private int unreported;

    /**
     * The download of one file, run on the worker's thread ({@link DownloadTask}); its outcome may complete
     * after {@link #run()} returned, once the file is durable.
     */
    interface FileTask extends Download, Runnable {
        /** Completes with the download's result or failure (a copy: completing it does nothing). */
        CompletableFuture<DownloadResult> outcome();

        /**
         * Marks the download cancelled without waking it yet: whatever it fails with from now on is reported as
         * a cancel. {@link #cancel()} follows.
         */
        void markCancelled();
    }

    /** Makes the download of one file on a worker's session source, made durable by {@code finisher}. */
    @FunctionalInterface
    interface TaskFactory {
        FileTask create(DownloadRequest request, SessionSource sessions, FileFinisher finisher);
    }

    /** Commits at once, and commits waiting, per worker. */
    private static final int COMMITS_PER_WORKER = 2;

    /** Makes a worker's sessions: one logged-in connection kept from file to file. */
    private final Supplier<SessionSource> sessionSources;
    private final Runnable onEnd;

    /**
     * A batch, not started yet.
     *
     * @param tasks          makes the download of one file
     * @param sessionSources makes each worker's sessions
     * @param onEnd          called once the batch ended
     */
    BatchRun(BatchRequest request, BatchListener listener, TaskFactory tasks, Supplier<SessionSource> sessionSources,
             Runnable onEnd) {
        this.onEnd = onEnd;
        this.request = request;
        this.listener = listener == null ? BatchListener.NONE : listener;
        this.tasks = tasks;
        this.sessionSources = sessionSources;
        this.outcomes = new FileOutcome[request.files().size()];
        long total = 0;
        for (int i = 0; i < outcomes.length; i++) {
            total += Math.max(0, request.files().get(i).size());
        }
        this.totalBytes = total;
        queue.addAll(BatchOrder.fromSystemProperty().of(request.files()));
    }

    /** Starts the coordinator, which starts the workers; returns at once. */
    void start() {
        Thread coordinator = new Thread(this::coordinate, "mpft-batch-" + THREADS.incrementAndGet());
        coordinator.setDaemon(true);
        coordinator.start();
    }

    private void coordinate() {
        List<Thread> workers = new ArrayList<>();
        try {
            List<Path> outputs = request.files().stream().map(BatchFile::output).toList();
            Path root = outputs.isEmpty() ? null : BatchManifest.rootOf(outputs);
            try {
                manifest = root == null ? null : BatchManifest.open(root);
            } catch (IOException e) {
                LOG.info("cannot read the batch manifest under {}: {}", root, e.toString());
                manifest = null;
            }
            int count = Math.min(request.sessions() * request.transfersPerSession(), outcomes.length);
            finisher = new FileFinisher(Math.max(1, count), COMMITS_PER_WORKER * Math.max(1, count));
            SharedSource group = null;
            for (int w = 0; w < count; w++) {
                if (w % request.transfersPerSession() == 0) {
                    group = new SharedSource(sessionSources.get());
                }
                SharedSource sessions = group.join();
                Thread worker = new Thread(() -> work(sessions), Thread.currentThread().getName() + "-w" + w);
                worker.setDaemon(true);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                while (worker.isAlive()) {
                    worker.join(DownloadTask.PROGRESS_INTERVAL_MS);
                    notifyProgress();
                }
            }
            finisher.close();
            awaitReports();
        } catch (InterruptedException e) {
            // no caller holds the coordinator to interrupt it; should it happen, the batch stops like a cancel
            cancel();
            for (Thread worker : workers) {
                joinUninterruptibly(worker);
            }
            if (finisher != null) {
                finisher.close();
            }
            Thread.currentThread().interrupt();
        } finally {
            finish();
        }
    }

    /** Waits until every file a worker took was reported: a file is reported once it is durable, or failed. */
    private synchronized void awaitReports() throws InterruptedException {
        while (unreported > 0) {
            wait(DownloadTask.PROGRESS_INTERVAL_MS);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException again) {
                // keep waiting: the outcomes are complete only once the worker ended
            }
        }
    }

    private void finish() {
        for (int i = 0; i < outcomes.length; i++) {
            synchronized (this) {
                if (outcomes[i] == null) {
                    outcomes[i] = new FileOutcome(request.files().get(i), null, new MpftException(ErrorCode.CANCELLED,
                            request.files().get(i).remotePath() + ": not fetched, the batch was stopped"), false);
                }
            }
        }
        List<FileOutcome> all = List.of(outcomes);
        boolean succeeded = all.stream().allMatch(FileOutcome::ok);
        if (manifest != null) {
            try {
                manifest.close(succeeded);
            } catch (IOException e) {
                LOG.info("cannot close the batch manifest: {}", e.toString());
            }
        }
        notifyProgress();
        result = new BatchResult(all, networkBytes.get(), (System.nanoTime() - startedNanos) / 1_000_000);
        done.countDown();
        onEnd.run();
    }

    private void work(SharedSource shared) {
        try {
            Integer index;
            while (!stopped && (index = take()) != null) {
                fetch(request.files().get(index), index, shared.source);
            }
        } finally {
            shared.leave();
        }
    }

    /** A session source shared by the workers of one session: closed when the last of them is done. */
    private static final class SharedSource {
        private final SessionSource source;
        private int workers;

        SharedSource(SessionSource source) {
            this.source = source;
        }

        synchronized SharedSource join() {
            workers++;
            return this;
        }

        void leave() {
            synchronized (this) {
                if (--workers > 0) {
                    return;
                }
            }
            source.close();
        }
    }

    private synchronized Integer take() {
        return queue.isEmpty() ? null : queue.remove(0);
    }

    /** Fetches a file; its outcome is reported when it is durable, possibly after this returned. */
    private void fetch(BatchFile file, int index, SessionSource sessions) {
        synchronized (this) {
            unreported++;
        }
        if (request.resume() && manifest != null && FinishedFiles.finished(file, manifest)) {
            ended(index, new FileOutcome(file, null, null, true));
            return;
        }
        try {
            Path parent = file.output().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            ended(index, new FileOutcome(file, null, new MpftException(DownloadErrors.ioCode(e), "cannot create the"
                    + " folder of " + file.output() + ": " + e.getMessage(), e), false));
            return;
        }
        FileTask task = download(file, index, sessions);
        MpftException failure = failure(task);
        if (failure != null && RECONNECT.contains(failure.code()) && !stopped) {
            // the session died under the file (or the server ended it after its most transfers per session):
            // once more on a new session
            LOG.info("fetching {} again on a new session: {}", file.remotePath(), failure.getMessage());
            task = download(file, index, sessions);
        }
        FileTask last = task;
        last.outcome().whenComplete((result, error) -> ended(index, outcomeOf(file, index, last)));
    }

    /** Failures after which a file is fetched once more on a new session. */
    private static final Set<ErrorCode> RECONNECT = EnumSet.of(ErrorCode.SERVER_UNAVAILABLE,
            ErrorCode.PROTOCOL_ERROR, ErrorCode.LIMIT_EXCEEDED);

    /** Runs the download of a file on this worker's session; the file may still be on its way to the disk. */
    private FileTask download(BatchFile file, int index, SessionSource sessions) {
        FileTask task = tasks.create(request.requestFor(file), sessions, finisher);
        running.put(index, task);
        if (stopped) {
            task.cancel();
        }
        task.run();
        return task;
    }

    /** The failure of a task that already ended, or null (it succeeded, or its file is still being committed). */
    private static MpftException failure(FileTask task) {
        CompletableFuture<DownloadResult> outcome = task.outcome();
        if (!outcome.isCompletedExceptionally()) {
            return null;
        }
        try {
            task.await();
            return null;
        } catch (MpftException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The outcome of a task whose outcome completed: the manifest entry first when it succeeded. */
    private FileOutcome outcomeOf(BatchFile file, int index, FileTask task) {
        try {
            DownloadResult downloaded = task.await();
            finishFile(file, downloaded);
            return new FileOutcome(file, downloaded, null, false);
        } catch (MpftException e) {
            return new FileOutcome(file, null, e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FileOutcome(file, null, new MpftException(ErrorCode.CANCELLED, file.remotePath()
                    + ": cancelled", e), false);
        } finally {
            running.remove(index, task);
        }
    }

    /** Permissions and the manifest entry of a downloaded file. */
    private void finishFile(BatchFile file, DownloadResult downloaded) {
        for (PathSummary path : downloaded.paths()) {
            networkBytes.addAndGet(path.bytes());
        }
        if (request.preserveModes() && file.permissions() >= 0) {
            try {
                Files.setPosixFilePermissions(file.output(), permissions(file.permissions()));
            } catch (UnsupportedOperationException e) {
                // a file system without POSIX permissions: nothing to keep
            } catch (IOException e) {
                LOG.info("cannot set the permissions of {}: {}", file.output(), e.toString());
            }
        }
        if (manifest != null) {
            try {
                long mtime = Files.getLastModifiedTime(file.output()).toMillis();
                manifest.record(file.output(), downloaded.bytes(), mtime, downloaded.sha256());
            } catch (IOException e) {
                LOG.info("cannot record {} in the batch manifest: {}", file.output(), e.toString());
            }
        }
    }

    /** The POSIX permissions of mode bits (set-id and sticky bits are not kept). */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    private void ended(int index, FileOutcome outcome) {
        synchronized (this) {
            outcomes[index] = outcome;
        }
        filesDone.incrementAndGet();
        if (outcome.skipped()) {
            skipped.incrementAndGet();
        }
        if (outcome.ok()) {
            endedBytes.addAndGet(outcome.result() != null ? outcome.result().bytes()
                    : Math.max(0, outcome.file().size()));
        } else {
            failed.incrementAndGet();
            if (request.failFast() && !stopped) {
                LOG.info("stopping the batch: {}", outcome.error().getMessage());
                cancel();
            }
        }
        synchronized (listener) {
            try {
                listener.onFileDone(outcome);
            } catch (RuntimeException e) {
                LOG.debug("batch listener failed", e);
            }
        }
        synchronized (this) {
            unreported--;
            notifyAll();
        }
    }

    private void notifyProgress() {
        BatchProgress snapshot = progress();
        synchronized (listener) {
            try {
                listener.onProgress(snapshot);
            } catch (RuntimeException e) {
                LOG.debug("batch listener failed", e);
            }
        }
    }

    @Override
    public BatchProgress progress() {
        long bytes = endedBytes.get();
        long network = networkBytes.get();
        Map<String, PathProgress> paths = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<Integer, FileTask> entry : running.entrySet()) {
            TransferProgress p = entry.getValue().progress();
            bytes += p.receivedBytes();
            names.add(request.files().get(entry.getKey()).remotePath());
            for (PathProgress path : p.paths()) {
                network += path.bytes();
                paths.merge(path.server() + " " + path.role(), path, (a, b) -> new PathProgress(a.server(), a.role(),
                        a.chunks() + b.chunks(), a.bytes() + b.bytes(), a.bytesPerSecond() + b.bytesPerSecond()));
            }
        }
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        double rate = seconds > 0 ? network / seconds : 0;
        long left = Math.max(0, totalBytes - bytes);
        long eta = rate > 0 ? (long) Math.ceil(left / rate) : (left == 0 ? 0 : -1);
        return new BatchProgress(filesDone.get(), outcomes.length, failed.get(), skipped.get(), bytes, totalBytes,
                rate, eta, new ArrayList<>(paths.values()), names);
    }

    /**
     * Stops the batch. Every running file is marked cancelled before any is woken: the cancel of the transfer on
     * a session's control stream closes the session under its other transfers, and they must report a cancel,
     * not the closed session.
     */
    @Override
    public void cancel() {
        stopped = true;
        List<FileTask> tasks = List.copyOf(running.values());
        tasks.forEach(FileTask::markCancelled);
        tasks.forEach(FileTask::cancel);
    }

    @Override
    public BatchResult await() throws InterruptedException {
        done.await();
        return result;
    }
}
