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
 * @param droppedChunks chunks received and thrown away unwritten: duplicates of chunks already held, and
 *                      chunks from secondaries beyond the bound of those waiting for the primary's digests
 */
public record DownloadResult(Path file, long bytes, String sha256, long elapsedMs, int chunks, int retries,
                             int resumedChunks, List<PathSummary> paths, ChunkLatencies chunkLatencies,
                             int droppedChunks) {

    /** Freezes the list. */
    public DownloadResult {
        paths = List.copyOf(paths);
        chunkLatencies = chunkLatencies == null ? ChunkLatencies.NONE : chunkLatencies;
    }

    /** A result without dropped chunks. */
    public DownloadResult(Path file, long bytes, String sha256, long elapsedMs, int chunks, int retries,
                          int resumedChunks, List<PathSummary> paths, ChunkLatencies chunkLatencies) {
        this(file, bytes, sha256, elapsedMs, chunks, retries, resumedChunks, paths, chunkLatencies, 0);
    }

    /** A result without chunk latencies or dropped chunks. */
    public DownloadResult(Path file, long bytes, String sha256, long elapsedMs, int chunks, int retries,
                          int resumedChunks, List<PathSummary> paths) {
        this(file, bytes, sha256, elapsedMs, chunks, retries, resumedChunks, paths, ChunkLatencies.NONE, 0);
    }
}
