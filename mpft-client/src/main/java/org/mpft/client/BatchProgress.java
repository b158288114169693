package org.mpft.client;

import java.util.List;

/**
 * A snapshot of a running batch.
 *
 * @param filesDone      files ended so far: downloaded, skipped or failed
 * @param filesTotal     files in the batch
 * @param filesFailed    files that failed so far
 * @param filesSkipped   files skipped because they were already complete on disk
 * @param bytesDone      bytes of the files ended and of the running ones' chunks held so far (skipped and
 *                       resumed bytes included)
 * @param bytesTotal     the listed sizes of every file (unknown sizes count as 0 until the server tells them)
 * @param bytesPerSecond the bytes received from the network per second, averaged since the batch started
 * @param etaSeconds     estimated seconds left, or -1 when unknown
 * @param paths          the paths of the running transfers, one entry per server and role (their chunks,
 *                       bytes and rates summed over the transfers using them)
 * @param running        the remote paths of the files being transferred now
 */
public record BatchProgress(int filesDone, int filesTotal, int filesFailed, int filesSkipped, long bytesDone,
                            long bytesTotal, double bytesPerSecond, long etaSeconds, List<PathProgress> paths,
                            List<String> running) {

    /** Freezes the lists. */
    public BatchProgress {
        paths = List.copyOf(paths);
        running = List.copyOf(running);
    }

    /** The part done, 0 to 1, by bytes (by files when no size is known). */
    public double fraction() {
        if (bytesTotal > 0) {
            return Math.min(1.0, (double) bytesDone / bytesTotal);
        }
        return filesTotal == 0 ? 1 : (double) filesDone / filesTotal;
    }
}
