package org.mpft.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Makes the downloaded files of a batch durable off the workers' threads: a worker that received a whole file
 * hands its {@link ChunkManager#commit() commit} (fsync, mtime, rename, folder fsync) here and opens its next
 * file at once, so the disk's latency overlaps the network's. The file's outcome completes only once the commit
 * ended: a file is reported (and recorded in the manifest) only when it is durable under its final name.
 *
 * <p>Bounded: a few threads and a short queue; when both are full the worker commits the file itself, which
 * holds it back until the disk catches up.
 */
final class FileFinisher implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ThreadPoolExecutor pool;

    /**
     * @param threads commits at once
     * @param queued  commits waiting, at most, before a worker commits its file itself
     */
    FileFinisher(int threads, int queued) {
        pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued), r -> {
            Thread t = new Thread(r, "mpft-finisher-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (commit, full) -> commit.run()); // queue full, or closed: the caller commits, no file is dropped
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Commits a sealed download (whole and verified, so it lands even when the transfer failed after the seal,
     * e.g. sending DONE), then completes {@code outcome} with {@code result}, or with {@code failure}, or with
     * the commit's failure (an {@link MpftException} naming the output).
     *
     * @param output  where the file lands, for the error
     * @param failure null, or why the transfer failed after the seal
     */
    void commit(ChunkManager sealed, Path output, DownloadResult result, Throwable failure,
                CompletableFuture<DownloadResult> outcome) {
        pool.execute(() -> {
            try {
                sealed.commit();
                if (failure != null) {
                    outcome.completeExceptionally(failure);
                } else {
                    outcome.complete(result);
                }
            } catch (IOException e) {
                outcome.completeExceptionally(new MpftException(DownloadErrors.ioCode(e), "cannot complete " + output
                        + ": " + e.getMessage(), e));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(new MpftException(ErrorCode.INTERNAL_ERROR, "cannot complete " + output
                        + ": " + e, e));
            }
        });
    }

    /** Waits for every commit handed over so far; any later one runs on the caller's thread. */
    @Override
    public void close() {
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: a file's outcome is complete only once its commit ended
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
