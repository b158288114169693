package org.mpft.plugin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Decides which path sends which chunk of one transfer, and tracks which chunks the client holds. Paths
 * pull work ({@link #next}) as their windows free up; the client's ACK and NACK settle a chunk
 * ({@link #acked}, {@link #nacked}); a NACKed chunk is handed out again before any fresh one.
 *
 * <p>With one path (the primary) every chunk goes to it, in index order. The spreading strategies over
 * several paths ({@code alternate}, {@code adaptive}) plug in at {@link #next}. Not thread-safe: confined
 * to the session's event loop.
 */
final class ChunkCoordinator {

    /** The most times one chunk is sent again after NACKs before the transfer is given up. */
    static final int MAX_RESENDS = 16;

    private final int chunkCount;
    private final BitSet settled = new BitSet();
    private final ArrayDeque<Integer> again = new ArrayDeque<>();
    private final Map<Integer, ChunkPath> assigned = new HashMap<>();
    private final Map<Integer, Integer> resends = new HashMap<>();
    private final List<ChunkPath> paths = new ArrayList<>();
    private int nextFresh;
    private boolean started;

    /** @param chunkCount the transfer's number of chunks */
    ChunkCoordinator(int chunkCount) {
        if (chunkCount < 0) {
            throw new IllegalArgumentException("chunkCount < 0");
        }
        this.chunkCount = chunkCount;
    }

    /** Adds a path; it is woken when work is there. */
    void addPath(ChunkPath path) {
        paths.add(Objects.requireNonNull(path, "path"));
        if (started) {
            path.wake();
        }
    }

    /**
     * Starts handing out chunks, skipping those the client already holds.
     *
     * @param held chunks the client holds (from START)
     */
    void start(BitSet held) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        settled.or(held);
        settled.clear(chunkCount, Math.max(chunkCount, settled.length()));
        for (ChunkPath path : List.copyOf(paths)) {
            path.wake();
        }
    }

    /**
     * The next chunk for {@code path} to send, now assigned to it; -1 when nothing is left to hand out.
     */
    int next(ChunkPath path) {
        if (!started) {
            return -1;
        }
        Integer retry = again.poll();
        int chunk;
        if (retry != null) {
            chunk = retry;
        } else {
            chunk = settled.nextClearBit(nextFresh);
            while (chunk < chunkCount && assigned.containsKey(chunk)) {
                chunk = settled.nextClearBit(chunk + 1);
            }
            if (chunk >= chunkCount) {
                return -1;
            }
            nextFresh = chunk + 1;
        }
        assigned.put(chunk, path);
        return chunk;
    }

    /**
     * The client verified and wrote {@code chunk}. Unknown or already settled chunks are ignored (a late
     * duplicate).
     *
     * @return true when this ACK settled the chunk
     */
    boolean acked(int chunk) {
        ChunkPath path = assigned.remove(chunk);
        if (path == null) {
            return false;
        }
        settled.set(chunk);
        resends.remove(chunk);
        path.release(chunk);
        return true;
    }

    /**
     * The client rejected {@code chunk} (checksum mismatch): it is handed out again first.
     *
     * @throws MpftException CHUNK_CORRUPTION when the chunk was rejected more than {@link #MAX_RESENDS} times
     */
    void nacked(int chunk) throws MpftException {
        ChunkPath path = assigned.remove(chunk);
        if (path == null) {
            return;
        }
        int count = resends.merge(chunk, 1, Integer::sum);
        if (count > MAX_RESENDS) {
            throw new MpftException(ErrorCode.CHUNK_CORRUPTION, "chunk " + chunk + " was rejected " + count
                    + " times");
        }
        again.add(chunk);
        path.release(chunk);
        wakeAll();
    }

    /** True when the client holds every chunk. */
    boolean isComplete() {
        return settled.cardinality() >= chunkCount;
    }

    /** The number of chunks settled (held by the client). */
    int settledCount() {
        return settled.cardinality();
    }

    /** The number of chunks. */
    int chunkCount() {
        return chunkCount;
    }

    private void wakeAll() {
        for (ChunkPath path : List.copyOf(paths)) {
            path.wake();
        }
    }
}
