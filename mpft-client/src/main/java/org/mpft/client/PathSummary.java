package org.mpft.client;

import java.util.List;

/**
 * What one path contributed to a finished download.
 *
 * @param server       the server, {@code host:port}
 * @param role         {@code primary} or {@code secondary}
 * @param chunks       chunks it delivered that were accepted
 * @param bytes        bytes it delivered that were accepted
 * @param chunkIndices the indices (from 0) of the chunks it delivered, ascending
 * @param lost         null, or why the path was lost during the download (its chunks came from the others)
 */
public record PathSummary(String server, String role, int chunks, long bytes, List<Integer> chunkIndices,
                          String lost) {

    /** Freezes the list. */
    public PathSummary {
        chunkIndices = List.copyOf(chunkIndices);
    }

    /** A path that was not lost. */
    public PathSummary(String server, String role, int chunks, long bytes, List<Integer> chunkIndices) {
        this(server, role, chunks, bytes, chunkIndices, null);
    }
}
