package org.mpft.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished, verified download (the CLI's {@code --json} summary).
 *
 * @param file          the final file
 * @param bytes         its size in bytes
 * @param sha256        its SHA-256, lower-case hex
 * @param elapsedMs     wall time of this run, milliseconds
 * @param chunks        the number of chunks of the file
 * @param retries       chunks fetched again (timeout, corruption, failed path)
 * @param resumedChunks chunks taken from a partial download instead of the network
 * @param paths         one entry per path, primary first
 */
public record DownloadResult(Path file, long bytes, String sha256, long elapsedMs, int chunks, int retries,
                             int resumedChunks, List<PathSummary> paths) {

    /** Freezes the list. */
    public DownloadResult {
        paths = List.copyOf(paths);
    }
}
