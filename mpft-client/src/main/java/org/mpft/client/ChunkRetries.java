package org.mpft.client;

import java.util.HashMap;
import java.util.Map;

/**
 * The client's retry policy for chunks that fail their checksum: each chunk may be fetched again up to
 * {@link DownloadRequest#retries()} times; one more failure ends the download. Counts every retry for
 * the summary. Not thread-safe: the download's thread owns it.
 */
final class ChunkRetries {

    private final int allowed;
    private final Map<Integer, Integer> failures = new HashMap<>();
    private int retries;

    /** @param allowed fetches again allowed per chunk */
    ChunkRetries(int allowed) {
        this.allowed = allowed;
    }

    /**
     * Records one failure of a chunk.
     *
     * @return how often the chunk has failed so far, this failure included
     */
    int failed(int chunk) {
        retries++;
        return failures.merge(chunk, 1, Integer::sum);
    }

    /** True when a chunk that failed {@code count} times may not be fetched again. */
    boolean exhausted(int count) {
        return count > allowed;
    }

    /** Fetches again allowed per chunk. */
    int allowed() {
        return allowed;
    }

    /** Chunks fetched again so far, over all chunks. */
    int retries() {
        return retries;
    }
}
