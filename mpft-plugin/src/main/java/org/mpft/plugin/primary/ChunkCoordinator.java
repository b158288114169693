package org.mpft.plugin.primary;

import org.mpft.plugin.schedule.ChunkSchedule;
import org.mpft.plugin.schedule.ChunkStrategy;
import org.mpft.plugin.schedule.ChunkTimeoutPolicy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Decides which path sends which chunk of one transfer, and tracks which chunks the client holds. Paths
 * pull work ({@link #next}) as their windows free up; the client's ACK and NACK settle a chunk
 * ({@link #acked}, {@link #nacked}); a path's own failures ({@link #failed}) and a path dying
 * ({@link #dropPath}) move its chunks. The decisions are a {@link ChunkSchedule}'s (strategy, windows,
 * repeats, retries, endgame); this class connects it to the {@link ChunkPath}s and wakes them when work
 * appears. With one path (the primary) every chunk goes to it, in index order.
 *
 * <p>Not thread-safe: confined to the session's event loop (events from cluster links are handed to
 * that loop first).
 */
final class ChunkCoordinator {

    private final ChunkSchedule schedule;
    private final int chunkCount;
    private final List<ChunkPath> paths = new ArrayList<>();
    private final Map<ChunkPath, Integer> slots = new HashMap<>();
    private HandOuts handOuts = (slot, chunk) -> { };
    private boolean started;

    /** Hears each chunk handed to a path: the path's slot (the order the paths were added in) and the chunk. */
    interface HandOuts {
        void handedOut(int slot, int chunk);
    }

    /**
     * @param plan     the transfer's chunks
     * @param strategy how chunks are spread over the paths (one instance per transfer)
     * @param retries  failures of one chunk tolerated before the transfer fails
     * @param clock    monotonic nanoseconds
     */
    ChunkCoordinator(ChunkPlan plan, ChunkStrategy strategy, int retries, LongSupplier clock) {
        this.schedule = new ChunkSchedule(plan, strategy, retries, clock);
        this.chunkCount = plan.chunkCount();
    }

    /** Adds the primary's own path (the first path added) or a path that needs no digests. */
    void addPath(ChunkPath path) {
        addPath(path, false);
    }

    /**
     * Adds a path before {@link #start}; it is woken when work is there.
     *
     * @param needsDigest true for a secondary: it gets only chunks whose primary digest the client holds
     */
    void addPath(ChunkPath path, boolean needsDigest) {
        Objects.requireNonNull(path, "path");
        slots.put(path, schedule.addPath(path.name(), needsDigest));
        paths.add(path);
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
        schedule.start(held);
        wakeAll();
    }

    /** Tells {@code listener} of every chunk handed to a path from now on. */
    void onHandOut(HandOuts listener) {
        this.handOuts = Objects.requireNonNull(listener, "listener");
    }

    /** The next chunk for {@code path} to send, now assigned to it; -1 when nothing is for it now. */
    int next(ChunkPath path) {
        Integer slot = slots.get(path);
        if (!started || slot == null) {
            return -1;
        }
        int chunk = schedule.next(slot);
        if (chunk >= 0) {
            handOuts.handedOut(slot, chunk);
        }
        return chunk;
    }

    /** Up to {@code n} chunks {@code path} will most likely be handed next (nothing is assigned): for read-ahead. */
    int[] upcoming(ChunkPath path, int n) {
        Integer slot = slots.get(path);
        return !started || slot == null ? new int[0] : schedule.upcoming(slot, n);
    }

    /**
     * The client verified and wrote {@code chunk}. Unknown, never sent or already settled chunks are
     * ignored (a late duplicate). Every path that held a copy gets its slot back.
     *
     * @return true when this ACK settled the chunk
     */
    boolean acked(int chunk) {
        if (!started || chunk < 0 || chunk >= chunkCount) {
            return false;
        }
        List<Integer> holders = schedule.acked(chunk);
        if (holders == null) {
            return false;
        }
        for (int slot : holders) {
            paths.get(slot).release(chunk);
        }
        if (holders.size() != 1) {
            wakeAll();
        }
        return true;
    }

    /**
     * True when an ACK of {@code chunk} now would be a lie: it is handed out, and every path holding it is
     * still sending it ({@link ChunkPath#sending}), so the client cannot hold it. Its window slot must not free
     * while its buffer is still held.
     */
    boolean ackedTooEarly(int chunk) {
        if (!started || chunk < 0 || chunk >= chunkCount) {
            return false;
        }
        List<Integer> holders = schedule.holders(chunk);
        if (holders.isEmpty()) {
            return false;
        }
        for (int slot : holders) {
            if (!paths.get(slot).sending(chunk)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The client rejected {@code chunk} (checksum mismatch): it is handed out again first.
     *
     * @throws MpftException CHUNK_CORRUPTION when the chunk was rejected more often than allowed
     */
    void nacked(int chunk) throws MpftException {
        nacked(chunk, ErrorCode.CHUNK_CORRUPTION);
    }

    /**
     * The client rejected {@code chunk} for {@code reason}; STALE_FILE drops the secondary that sent it.
     *
     * @throws MpftException when the chunk failed more often than allowed, or no path is left
     */
    void nacked(int chunk, ErrorCode reason) throws MpftException {
        if (!started || chunk < 0 || chunk >= chunkCount) {
            return;
        }
        List<Integer> holders = schedule.holders(chunk);
        ChunkSchedule.Outcome outcome = schedule.nacked(chunk, reason);
        afterFailure(chunk, holders, outcome);
    }

    /**
     * {@code path} could not deliver {@code chunk} (CHUNK_ERROR from a secondary, a read or stream failure).
     *
     * @throws MpftException when the chunk failed more often than allowed, or no path is left
     */
    void failed(ChunkPath path, int chunk, ErrorCode code) throws MpftException {
        Integer slot = slots.get(path);
        if (!started || slot == null || chunk < 0 || chunk >= chunkCount) {
            return;
        }
        List<Integer> holders = schedule.holders(chunk);
        afterFailure(chunk, holders, schedule.failed(slot, chunk, code));
    }

    /**
     * Drops {@code path} from the transfer (it died, its copy is stale): its chunks move to the others.
     *
     * @throws MpftException when no path is left
     */
    void dropPath(ChunkPath path, ErrorCode why) throws MpftException {
        Integer slot = slots.get(path);
        if (slot == null || !schedule.alive(slot)) {
            return;
        }
        List<Integer> inFlight = schedule.inFlightChunks(slot);
        try {
            schedule.dropPath(slot, why);
        } finally {
            for (int chunk : inFlight) {
                path.release(chunk);
            }
        }
        wakeAll();
    }

    /**
     * A chunk of {@code path} that timed out.
     *
     * @param timeoutMillis the timeout it exceeded, adapted to the path's speed
     * @param stalled       true when the path delivered nothing over its last timeouts: drop it
     */
    record TimedOut(ChunkPath path, int chunk, long timeoutMillis, boolean stalled) {
    }

    /**
     * The secondaries' chunks overdue now under {@code policy} (see {@link ChunkSchedule#overdue}); the
     * caller settles each with {@link #failed} (CHUNK_TIMEOUT), or {@link #dropPath} when stalled.
     */
    List<TimedOut> overdue(ChunkTimeoutPolicy policy) {
        if (!started) {
            return List.of();
        }
        List<TimedOut> list = new ArrayList<>();
        for (ChunkSchedule.Overdue o : schedule.overdue(policy)) {
            list.add(new TimedOut(paths.get(o.slot()), o.chunk(), o.timeoutNanos() / 1_000_000, o.stalled()));
        }
        return list;
    }

    /** Chunks below {@code exclusive} have their primary digests at the client: secondaries may send them. */
    void digestsUpTo(int exclusive) {
        int before = schedule.digestFrontier();
        schedule.digestsUpTo(exclusive);
        if (started && schedule.digestFrontier() > before) {
            wakeAll();
        }
    }

    /** True while {@code path} is part of the transfer. */
    boolean alive(ChunkPath path) {
        Integer slot = slots.get(path);
        return slot != null && schedule.alive(slot);
    }

    /** Bytes credited to {@code path} (the chunks it delivered first). */
    long deliveredBytes(ChunkPath path) {
        return schedule.delivered(slots.get(path)).bytes();
    }

    /** Chunk failures so far (each one led to a resend). */
    int retries() {
        return schedule.retriesUsed();
    }

    /** Endgame duplicates handed out so far. */
    int duplicates() {
        return schedule.duplicates();
    }

    /** True when the client holds every chunk. */
    boolean isComplete() {
        return schedule.isComplete();
    }

    /** The number of chunks settled (held by the client). */
    int settledCount() {
        return schedule.doneCount();
    }

    /** The number of chunks. */
    int chunkCount() {
        return chunkCount;
    }

    /** Wakes every path (work became available: a frontier moved, a path came up). */
    void wakeAll() {
        if (!started) {
            return;
        }
        for (ChunkPath path : List.copyOf(paths)) {
            path.wake();
        }
    }

    private void afterFailure(int chunk, List<Integer> holdersBefore, ChunkSchedule.Outcome outcome) {
        if (outcome == ChunkSchedule.Outcome.IGNORED) {
            return;
        }
        List<Integer> holdersAfter = schedule.holders(chunk);
        for (int slot : holdersBefore) {
            if (!holdersAfter.contains(slot) && outcome != ChunkSchedule.Outcome.PATH_DROPPED) {
                paths.get(slot).release(chunk);
            }
        }
        if (outcome == ChunkSchedule.Outcome.PATH_DROPPED) {
            for (int slot : holdersBefore) {
                if (!schedule.alive(slot)) {
                    releaseAll(slot);
                }
            }
        }
        wakeAll();
    }

    private void releaseAll(int slot) {
        // the schedule forgot the dropped path's chunks; let the path forget them too
        ChunkPath path = paths.get(slot);
        if (path instanceof DroppablePath droppable) {
            droppable.dropped();
        }
    }

    /** A path that wants to hear that the coordinator dropped it (its chunks moved). */
    interface DroppablePath extends ChunkPath {
        /** Every chunk it held was taken away; it sends nothing more. */
        void dropped();
    }
}
