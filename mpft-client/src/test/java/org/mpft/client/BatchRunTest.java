package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The batch engine's scheduling, failure handling, skipping and finishing, with fake downloads (the network
 * side is covered by BatchDownloadIT): a fake task "downloads" a file by writing the bytes of a map of server
 * files, or fails as the server would, or holds until it is cancelled.
 */
@Timeout(60)
class BatchRunTest {

    private static final long MTIME = 1_700_000_000_000L;

    @TempDir
    Path out;

    private final Map<String, byte[]> server = new ConcurrentHashMap<>();
    private final List<String> started = Collections.synchronizedList(new ArrayList<>());
    /** Remote paths whose fake download holds until cancelled. */
    private final Map<String, CountDownLatch> holding = new ConcurrentHashMap<>();
    /** The fake tasks started; with {@link #cancelEndsTheSession}, one's cancel fails the others still running. */
    private final List<FakeTask> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** As the cancel of a transfer on a session's control stream does: it closes the session under the others. */
    private volatile boolean cancelEndsTheSession;
    /** Remote paths whose fake download ends its run at once but lands on disk only when the future completes. */
    private final Map<String, CompletableFuture<Void>> committing = new ConcurrentHashMap<>();

    @Test
    void aWorkerGoesOnWhileItsFileIsCommittedAndTheFileIsReportedOnlyOnceCommitted() throws Exception {
        CompletableFuture<Void> commitA = new CompletableFuture<>();
        committing.put("a", commitA);
        List<BatchFile> files = List.of(file("a", 9), file("b", 1));
        List<String> reported = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bReported = new CountDownLatch(1);
        BatchListener listener = new BatchListener() {
            @Override
            public void onProgress(BatchProgress progress) {
            }

            @Override
            public void onFileDone(FileOutcome outcome) {
                reported.add(outcome.file().remotePath());
                if (outcome.file().remotePath().equals("b")) {
                    bReported.countDown();
                }
            }
        };
        BatchRun batch = new BatchRun(builder(files).sessions(1).build(), listener, this::task,
                () -> SessionSource.kept(null, null, new java.util.concurrent.locks.ReentrantLock(), 1), () -> { });
        batch.start();

        bReported.await(); // the one worker fetched b while a was still being committed
        assertThat(started).containsExactly("a", "b");
        assertThat(reported).containsExactly("b");
        assertThat(out.resolve("a")).doesNotExist();
        assertThat(Files.readAllLines(out.resolve(BatchManifest.NAME))).singleElement().asString().startsWith("b");
        assertThat(batch.progress().filesDone()).isEqualTo(1);

        commitA.complete(null);
        BatchResult result = batch.await();

        assertThat(reported).containsExactly("b", "a");
        assertThat(result.failures()).isEmpty();
        assertThat(out.resolve("a")).hasSize(9);
        assertThat(out.resolve(BatchManifest.NAME)).doesNotExist();
    }

    @Test
    void oneSessionTakesTheBiggestFilesFirstAndTheFinishedTreeHasNoManifest() throws Exception {
        List<BatchFile> files = List.of(file("a", 5), file("b", 50), file("c", 1), file("sub/deep/d", 20));

        BatchResult result = run(builder(files).sessions(1).build());

        assertThat(started).containsExactly("b", "sub/deep/d", "a", "c");
        assertThat(result.failures()).isEmpty();
        assertThat(result.files()).extracting(o -> o.file().remotePath()).containsExactly("a", "b", "c", "sub/deep/d");
        assertThat(out.resolve("sub/deep/d")).hasSize(20); // parent folders created
        assertThat(out.resolve(BatchManifest.NAME)).doesNotExist();
    }

    @Test
    void eachSessionHasItsTransfersPerSessionInFlightAtOnce() throws Exception {
        List<BatchFile> files = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            files.add(file("f" + i, 10 + i));
            holding.put("f" + i, new CountDownLatch(1));
        }
        List<SessionSource> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
        BatchRun batch = new BatchRun(builder(files).sessions(2).transfersPerSession(3).build(), BatchListener.NONE,
                (request, sessions, finisher) -> {
                    sources.add(sessions);
                    return task(request, sessions, finisher);
                }, () -> SessionSource.kept(null, null, new java.util.concurrent.locks.ReentrantLock(), 3), () -> { });
        batch.start();
        for (CountDownLatch running : holding.values()) {
            running.await(); // every file runs (and holds) at once: two sessions of three files each
        }
        assertThat(sources).hasSize(6);
        assertThat(new java.util.HashSet<>(sources)).hasSize(2)
                .allSatisfy(source -> assertThat(sources.stream().filter(s -> s == source)).hasSize(3));
        batch.cancel();
        assertThat(batch.await().failures()).hasSize(6);
    }

    @Test
    void aFailedFileIsReportedAndTheOthersGoOnTheManifestStays() throws Exception {
        List<BatchFile> files = new ArrayList<>(List.of(file("a", 5), file("b", 6), file("c", 7)));
        files.add(new BatchFile("missing", out.resolve("missing"), 100, MTIME, -1));

        BatchResult result = run(builder(files).sessions(2).build());

        assertThat(result.failures()).singleElement().satisfies(o -> {
            assertThat(o.file().remotePath()).isEqualTo("missing");
            assertThat(o.error().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        });
        assertThat(result.worstError().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        assertThat(result.files().stream().filter(o -> o.result() != null)).hasSize(3);
        assertThat(Files.readAllLines(out.resolve(BatchManifest.NAME))).hasSize(3);
    }

    @Test
    void failFastCancelsTheRunningFileAndStartsNoOther() throws Exception {
        List<BatchFile> files = new ArrayList<>(List.of(file("big", 100), file("c", 3), file("d", 2)));
        files.add(new BatchFile("missing", out.resolve("missing"), 50, MTIME, -1));
        holding.put("big", new CountDownLatch(1));

        BatchResult result = run(builder(files).sessions(2).failFast(true).build());

        assertThat(started).containsExactlyInAnyOrder("big", "missing");
        assertThat(result.files()).extracting(o -> o.error().code()).containsExactly(ErrorCode.CANCELLED,
                ErrorCode.CANCELLED, ErrorCode.CANCELLED, ErrorCode.FILE_NOT_FOUND);
        assertThat(result.worstError().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        assertThat(out.resolve("c")).doesNotExist();
    }

    @Test
    void resumeSkipsFilesFinishedOnDiskAndChecksTheManifestsDigest() throws Exception {
        BatchFile kept = file("kept", 10);
        BatchFile recorded = file("recorded", 11);
        BatchFile altered = file("altered", 12);
        BatchFile older = file("older", 13);
        for (BatchFile f : List.of(kept, recorded, altered, older)) {
            Files.write(f.output(), server.get(f.remotePath()));
            Files.setLastModifiedTime(f.output(), FileTime.fromMillis(f.modifiedMillis()));
        }
        Files.setLastModifiedTime(older.output(), FileTime.fromMillis(MTIME - 1000));
        BatchManifest manifest = BatchManifest.open(out);
        manifest.record(recorded.output(), 11, recorded.modifiedMillis(), FinishedFiles.sha256(recorded.output()));
        manifest.record(altered.output(), 12, altered.modifiedMillis(), "00".repeat(32)); // bytes changed since
        manifest.close(false);

        BatchResult result = run(builder(List.of(kept, recorded, altered, older)).build());

        assertThat(result.skipped()).extracting(o -> o.file().remotePath()).containsExactly("kept", "recorded");
        assertThat(started).containsExactlyInAnyOrder("altered", "older");
        assertThat(result.failures()).isEmpty();
        assertThat(out.resolve(BatchManifest.NAME)).doesNotExist();

        started.clear();
        BatchResult again = run(builder(List.of(kept, recorded, altered, older)).resume(false).build());

        assertThat(again.skipped()).isEmpty();
        assertThat(started).hasSize(4);
    }

    @Test
    void aCancelStopsTheRunningFileAndTheRest() throws Exception {
        holding.put("big", new CountDownLatch(1));
        List<BatchFile> files = List.of(file("big", 100), file("small", 1));
        BatchRun batch = new BatchRun(builder(files).sessions(1).build(), BatchListener.NONE, this::task,
                () -> SessionSource.kept(null, null, new java.util.concurrent.locks.ReentrantLock(), 1), () -> { });
        batch.start();
        holding.get("big").await(); // counted down once the fake download holds
        assertThat(batch.progress().running()).containsExactly("big");

        batch.cancel();
        BatchResult result = batch.await();

        assertThat(result.files()).extracting(o -> o.error().code()).containsExactly(ErrorCode.CANCELLED,
                ErrorCode.CANCELLED);
        assertThat(started).containsExactly("big");
    }

    @Test
    void aCancelThatEndsTheSessionUnderTheOtherFilesReportsEveryFileCancelled() throws Exception {
        cancelEndsTheSession = true;
        List<BatchFile> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(file("f" + i, 10 + i));
            holding.put("f" + i, new CountDownLatch(1));
        }
        BatchRun batch = new BatchRun(builder(files).sessions(1).transfersPerSession(3).build(), BatchListener.NONE,
                this::task, () -> SessionSource.kept(null, null, new java.util.concurrent.locks.ReentrantLock(), 3),
                () -> { });
        batch.start();
        for (CountDownLatch running : holding.values()) {
            running.await();
        }

        batch.cancel();
        BatchResult result = batch.await();

        assertThat(result.files()).extracting(o -> o.error().code()).containsOnly(ErrorCode.CANCELLED);
        assertThat(result.files()).hasSize(3);
    }

    @Test
    void preservedModesAreGivenToTheOutputs() throws Exception {
        BatchFile file = new BatchFile("x", out.resolve("x"), 3, MTIME, 0750);
        server.put("x", new byte[3]);

        BatchResult result = run(builder(List.of(file)).preserveModes(true).build());

        assertThat(result.failures()).isEmpty();
        assertThat(Files.getPosixFilePermissions(out.resolve("x"))).isEqualTo(
                PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(BatchRun.permissions(07777)).hasSize(9);
        assertThat(BatchRun.permissions(0)).isEmpty();
    }

    private BatchFile file(String name, int size) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, (byte) name.length());
        server.put(name, bytes);
        return new BatchFile(name, out.resolve(name), size, MTIME + name.hashCode() % 1000, -1);
    }

    private BatchRequest.Builder builder(List<BatchFile> files) {
        DownloadRequest connection = DownloadRequest.builder("u", "localhost", ".", out)
                .credentials(new Credentials.Password("pw".toCharArray()))
                .hostKeys((server, sha256, vouchedBy) -> { }).build();
        return BatchRequest.builder(connection, files).transfersPerSession(1);
    }

    private BatchResult run(BatchRequest request) throws InterruptedException {
        BatchRun batch = new BatchRun(request, BatchListener.NONE, this::task, () -> SessionSource.kept(null, null, new java.util.concurrent.locks.ReentrantLock(), 1),
                () -> { });
        batch.start();
        return batch.await();
    }

    private BatchRun.FileTask task(DownloadRequest request, SessionSource sessions, FileFinisher finisher) {
        started.add(request.remotePath());
        FakeTask task = new FakeTask(request);
        tasks.add(task);
        return task;
    }

    /** A download that writes the server's bytes, fails as the server would, or holds until cancelled. */
    private final class FakeTask implements BatchRun.FileTask {
        private final DownloadRequest request;
        private final CompletableFuture<DownloadResult> outcome = new CompletableFuture<>();
        private final CountDownLatch cancelled = new CountDownLatch(1);
        private volatile boolean marked;

        FakeTask(DownloadRequest request) {
            this.request = request;
        }

        @Override
        public CompletableFuture<DownloadResult> outcome() {
            return outcome.copy();
        }

        @Override
        public void run() {
            CompletableFuture<Void> commit = committing.get(request.remotePath());
            if (commit != null) {
                commit.thenRun(this::land); // lands on disk later, on the thread that completes the commit
                return;
            }
            land();
        }

        private void land() {
            try {
                CountDownLatch hold = holding.get(request.remotePath());
                if (hold != null) {
                    hold.countDown();
                    cancelled.await();
                }
                if (cancelled.getCount() == 0) {
                    outcome.completeExceptionally(new MpftException(ErrorCode.CANCELLED, "cancelled"));
                    return;
                }
                byte[] bytes = server.get(request.remotePath());
                if (bytes == null) {
                    outcome.completeExceptionally(new MpftException(ErrorCode.FILE_NOT_FOUND, "no such file"));
                    return;
                }
                Files.write(request.output(), bytes);
                Files.setLastModifiedTime(request.output(), FileTime.fromMillis(MTIME));
                outcome.complete(new DownloadResult(request.output(), bytes.length,
                        FinishedFiles.sha256(request.output()), 1, 1, 0, 0, List.of()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                outcome.completeExceptionally(e);
            }
        }

        @Override
        public TransferProgress progress() {
            return new TransferProgress(0, 0, 0, 0, 0, -1, List.of());
        }

        @Override
        public void markCancelled() {
            marked = true;
        }

        @Override
        public void cancel() {
            marked = true;
            cancelled.countDown();
            if (cancelEndsTheSession) {
                for (FakeTask other : tasks) {
                    other.sessionClosed();
                }
            }
        }

        /** Fails at once, as a real transfer whose session was closed: a cancel if it was marked cancelled. */
        private void sessionClosed() {
            outcome.completeExceptionally(marked ? new MpftException(ErrorCode.CANCELLED, "cancelled")
                    : new MpftException(ErrorCode.SERVER_UNAVAILABLE, "the session was closed"));
        }

        @Override
        public DownloadResult await() throws MpftException, InterruptedException {
            try {
                return outcome.get();
            } catch (ExecutionException e) {
                throw (MpftException) e.getCause();
            }
        }
    }
}
