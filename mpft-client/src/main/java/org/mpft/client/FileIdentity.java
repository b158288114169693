package org.mpft.client;

import java.util.Objects;
import org.mpft.protocol.ChunkPlan;

/**
 * What file a download is of: a partial download is reused only for the same identity.
 *
 * @param server      the primary, {@code host:port}
 * @param remotePath  the file on the server
 * @param size        its size on the server, bytes
 * @param mtimeMillis its modification time on the server, ms since the epoch
 * @param chunkSize   the server's chunk size for it, bytes
 */
record FileIdentity(String server, String remotePath, long size, long mtimeMillis, int chunkSize) {

    /** Checks the fields, the size and chunk size against the chunk plan's limits. */
    FileIdentity {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(remotePath, "remotePath");
        plan(size, chunkSize);
    }

    /** How this file is cut into chunks. */
    ChunkPlan plan() {
        return plan(size, chunkSize);
    }

    private static ChunkPlan plan(long size, int chunkSize) {
        ChunkPlan plan = new ChunkPlan(size, chunkSize);
        plan.chunkCount(); // refuses plans over the chunk limit
        return plan;
    }
}
