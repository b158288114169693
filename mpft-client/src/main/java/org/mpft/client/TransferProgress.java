package org.mpft.client;

import java.util.List;

/**
 * A snapshot of a download's progress.
 *
 * @param totalBytes     the file's size in bytes (0 until META arrives)
 * @param receivedBytes  bytes held and verified, including those resumed from a partial download
 * @param totalChunks    the number of chunks (0 until META arrives)
 * @param receivedChunks chunks held and verified, including resumed ones
 * @param bytesPerSecond the recent receive rate over all paths, bytes per second
 * @param etaSeconds     the estimated seconds left, or -1 when unknown
 * @param paths          one entry per path, primary first
 * @param status         what the download waits for, for the user (e.g. "server busy, retrying in 4s"), or null
 */
public record TransferProgress(long totalBytes, long receivedBytes, int totalChunks, int receivedChunks,
                               double bytesPerSecond, long etaSeconds, List<PathProgress> paths, String status) {

    /** A snapshot without a status. */
    public TransferProgress(long totalBytes, long receivedBytes, int totalChunks, int receivedChunks,
                            double bytesPerSecond, long etaSeconds, List<PathProgress> paths) {
        this(totalBytes, receivedBytes, totalChunks, receivedChunks, bytesPerSecond, etaSeconds, paths, null);
    }

    /** Freezes the list. */
    public TransferProgress {
        paths = List.copyOf(paths);
    }

    /** Done fraction in [0, 1]. */
    public double fraction() {
        return totalBytes == 0 ? (totalChunks == 0 ? 0 : 1) : (double) receivedBytes / totalBytes;
    }
}
