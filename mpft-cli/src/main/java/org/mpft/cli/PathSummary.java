package org.mpft.cli;

import java.util.List;

/**
 * What one path contributed to a finished download.
 *
 * @param server       the server, {@code host:port}
 * @param role         {@code primary} or {@code secondary}
 * @param chunks       chunks it delivered that were accepted
 * @param bytes        bytes it delivered that were accepted
 * @param chunkIndices the indices (from 0) of the chunks it delivered, ascending
 */
public record PathSummary(String server, String role, int chunks, long bytes, List<Integer> chunkIndices) {

    /** Freezes the list. */
    public PathSummary {
        chunkIndices = List.copyOf(chunkIndices);
    }
}
