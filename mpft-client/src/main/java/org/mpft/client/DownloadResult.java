package org.mpft.client;

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
 * @param chunkLatencies the latency of each chunk received (not part of the {@code --json} summary)
 */
public record DownloadResult(Path file, long bytes, String sha256, long elapsedMs, int chunks, int retries,
                             int resumedChunks, List<PathSummary> paths, ChunkLatencies chunkLatencies) {

    /** Freezes the list. */
    public DownloadResult {
        paths = List.copyOf(paths);
        chunkLatencies = chunkLatencies == null ? ChunkLatencies.NONE : chunkLatencies;
    }

    /** A result without chunk latencies. */
    public DownloadResult(Path file, long bytes, String sha256, long elapsedMs, int chunks, int retries,
                          int resumedChunks, List<PathSummary> paths) {
        this(file, bytes, sha256, elapsedMs, chunks, retries, resumedChunks, paths, ChunkLatencies.NONE);
    }
}
