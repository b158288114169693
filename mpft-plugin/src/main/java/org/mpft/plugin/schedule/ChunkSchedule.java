package org.mpft.plugin.schedule;

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
import org.mpft.protocol.Strategy;

/**
 * The multi-path state of one transfer on its primary: which chunks are fresh (never handed out),
 * queued again, in flight on which path, and done, and who gets what next. Pure logic with a
 * pluggable clock, thread-safe (every method holds the instance's lock); it sends nothing itself: paths
 * pull chunks with {@link #next} while {@link #inFlight} is below {@link #window}, and the caller wakes
 * paths after an event that made work available (every {@link Outcome} but {@code IGNORED}).
 *
 * <p>Order of choice for a path that asks: a chunk to repeat on this very path, then a chunk moved from
 * another path (the lowest one this path has not failed twice), then a fresh chunk as the
 * {@link ChunkStrategy} decides, then (adaptive only, when the path is idle) an endgame duplicate of
 * the slowest outstanding chunk. A path that needs digests (a secondary) only gets chunks below the
 * digest frontier ({@link #digestsUpTo}): the client must hold the primary's checksum of a chunk before
 * a secondary's copy of it can be checked.
 *
 * <p>Failures: a failed chunk is repeated once on the same path, then moved to another path; after
 * {@code retries} failures in all the transfer fails with the last error. A path-level error
 * (a path-fatal code: stale copy, server gone, ticket or rights refused) drops the path from the
 * transfer instead; all its outstanding and reserved chunks move to the paths left, without counting as
 * chunk failures.
 */
public final class ChunkSchedule {

    /** What an event did. */
    public enum Outcome {
        /** Nothing: a late or duplicate event. */
        IGNORED,
        /** The chunk will be sent again by the same path. */
        RETRY_SAME_PATH,
        /** The chunk moved to the pool that other paths take from. */
        MOVED,
        /** Another copy of the chunk is still in flight (endgame); nothing was queued. */
        OTHER_COPY_PENDING,
        /** The path was dropped from the transfer; its chunks moved. */
        PATH_DROPPED
    }

    private final ChunkPlan plan;
    private final int chunkCount;
    private final ChunkStrategy strategy;
    private final int retries;
    private final LongSupplier clock;
    private final List<PathState> paths = new ArrayList<>();
    private final BitSet done = new BitSet();
    private final BitSet fresh = new BitSet();
    /** chunk -> paths holding a copy in flight, in hand-out order */
    private final Map<Integer, List<Integer>> copies = new HashMap<>();
    private final ChunkRetries retriesBook = new ChunkRetries();
    private final Endgame endgame;
    private int digestFrontier;
    private boolean started;
    private int slotsAtStart;
    private int duplicates;

    /**
     * @param plan     the transfer's chunks
     * @param strategy how fresh chunks are spread and windows sized (one instance per transfer)
     * @param retries  failures of one chunk tolerated before the transfer fails ({@code mpft.chunk-retries})
     * @param clock    monotonic nanoseconds ({@link System#nanoTime} outside tests)
     */
    public ChunkSchedule(ChunkPlan plan, ChunkStrategy strategy, int retries, LongSupplier clock) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.chunkCount = plan.chunkCount();
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retries < 0) {
            throw new IllegalArgumentException("retries < 0");
        }
        this.retries = retries;
        this.endgame = new Endgame(plan, paths, copies, retriesBook);
    }

    /**
     * Adds a path before {@link #start}; the first one added is the primary (slot 0).
     *
     * @param name        its name, for logs
     * @param needsDigest true for a secondary: it only gets chunks below the digest frontier
     * @return its slot
     */
    public synchronized int addPath(String name, boolean needsDigest) {
        if (started) {
            throw new IllegalStateException("paths are added before the schedule starts");
        }
        paths.add(new PathState(paths.size(), Objects.requireNonNull(name, "name"), needsDigest));
        retriesBook.addPath();
        return paths.size() - 1;
    }

    /**
     * Starts handing out chunks, skipping those the client already holds.
     *
     * @param held chunks the client holds (from START), may be empty
     */
    public synchronized void start(BitSet held) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        if (paths.isEmpty()) {
            throw new IllegalStateException("no path");
        }
        started = true;
        slotsAtStart = paths.size();
        fresh.set(0, chunkCount);
        BitSet have = (BitSet) held.clone();
        if (have.length() > chunkCount) {
            have.clear(chunkCount, have.length());
        }
        fresh.andNot(have);
        done.or(have);
    }

    /** Chunks below {@code exclusive} have their primary digests at the client; wake secondaries after. */
    public synchronized void digestsUpTo(int exclusive) {
        digestFrontier = Math.max(digestFrontier, Math.min(exclusive, chunkCount));
    }

    /** The digest frontier. */
    public synchronized int digestFrontier() {
        return digestFrontier;
    }

    /** How many chunks {@code slot} may have in flight now. */
    synchronized int window(int slot) {
        PathState path = path(slot);
        path.tick(clock.getAsLong());
        return Math.max(1, strategy.window(path));
    }

    /** Chunks {@code slot} has in flight. */
    synchronized int inFlight(int slot) {
        return path(slot).inFlightCount();
    }

    /** True while {@code slot} has room below its window. */
    synchronized boolean hasRoom(int slot) {
        PathState path = path(slot);
        return path.alive() && path.inFlightCount() < window(slot);
    }

    /**
     * The next chunk for {@code slot} to send, now in flight on it; -1 when nothing is for it now (no
     * room, nothing left, or its chunks wait for digests). A path calls it while it has room.
     */
    public synchronized int next(int slot) {
        PathState path = path(slot);
        if (!started || !path.alive() || path.inFlightCount() >= window(slot)) {
            return -1;
        }
        int limit = path.needsDigest() ? digestFrontier : chunkCount;
        int chunk = retriesBook.fromAgain(slot, limit, done, this::holds);
        if (chunk < 0) {
            chunk = retriesBook.fromMoved(slot, limit, done, this::holds);
        }
        if (chunk < 0 && !(strategy.endgame() && endgame.othersFinishSooner(path, fresh, clock.getAsLong()))) {
            chunk = strategy.pickFresh(slot, slotsAtStart, fresh, limit);
            if (chunk >= 0) {
                fresh.clear(chunk);
            }
        }
        if (chunk < 0 && strategy.endgame() && path.inFlightCount() == 0 && fresh.isEmpty()
                && retriesBook.movedEmpty(done)) {
            chunk = endgame.candidate(path, limit, clock.getAsLong());
            if (chunk >= 0) {
                duplicates++;
            }
        }
        if (chunk < 0) {
            return -1;
        }
        long now = clock.getAsLong();
        path.handedOut(chunk, now);
        copies.computeIfAbsent(chunk, c -> new ArrayList<>(2)).add(slot);
        return chunk;
    }

    /**
     * Up to {@code n} fresh chunks that {@code slot} would most likely be handed next if nothing else happened,
     * in order; a pure look (nothing is assigned), for reading ahead (the send pipeline's prefetcher).
     */
    public synchronized int[] upcoming(int slot, int n) {
        PathState path = path(slot);
        if (!started || !path.alive() || n <= 0) {
            return new int[0];
        }
        return strategy.upcoming(slot, slotsAtStart, fresh, path.needsDigest() ? digestFrontier : chunkCount, n);
    }

    /**
     * The client verified and wrote {@code chunk}: done. Every copy in flight is settled; the first copy
     * handed out is credited with the delivery (and measured only when it was the only copy). A chunk that
     * was never handed out, or is already done, is ignored.
     *
     * @return the slots whose window slots this freed (wake them), possibly none when the copy came from a
     *         path that was already written off; null when the ACK was ignored
     */
    public synchronized List<Integer> acked(int chunk) {
        checkIndex(chunk);
        if (done.get(chunk) || fresh.get(chunk) || !started) {
            return null;
        }
        done.set(chunk);
        retriesBook.settled(chunk);
        List<Integer> holders = copies.remove(chunk);
        if (holders == null) {
            return List.of(); // delivered by a copy we had already written off (a dropped path's)
        }
        long now = clock.getAsLong();
        int length = plan.length(chunk);
        boolean only = holders.size() == 1;
        for (int i = 0; i < holders.size(); i++) {
            PathState path = paths.get(holders.get(i));
            Long since = path.settle(chunk, now);
            if (i == 0 && since != null) {
                path.delivered(length, now - since, only);
                path.progressed(now);
            }
            path.tick(now);
        }
        return List.copyOf(holders);
    }

    /**
     * The client rejected {@code chunk} (NACK). The NACK does not say which path sent it: a
     * {@link ErrorCode#STALE_FILE} NACK (the chunk did not match the primary's digest) blames the secondary
     * holding it, which is dropped; other reasons blame the copy handed out last.
     *
     * @throws MpftException when the chunk failed more than {@code retries} times, or no path is left
     */
    public synchronized Outcome nacked(int chunk, ErrorCode reason) throws MpftException {
        checkIndex(chunk);
        List<Integer> holders = copies.get(chunk);
        if (holders == null || done.get(chunk)) {
            return Outcome.IGNORED;
        }
        if (reason == ErrorCode.STALE_FILE) {
            for (int i = holders.size() - 1; i >= 0; i--) {
                if (paths.get(holders.get(i)).needsDigest()) {
                    dropPath(holders.get(i), reason);
                    return Outcome.PATH_DROPPED;
                }
            }
            return Outcome.IGNORED; // the primary's own copy cannot be stale against itself
        }
        return failed(holders.get(holders.size() - 1), chunk, reason);
    }

    /**
     * {@code slot} could not deliver {@code chunk} (a CHUNK_ERROR, a read or stream failure, a timeout).
     *
     * @return what happened to the chunk
     * @throws MpftException when the chunk failed more than {@code retries} times (with the failure's code),
     *                       or when a path-level failure left no path
     */
    public synchronized Outcome failed(int slot, int chunk, ErrorCode code) throws MpftException {
        checkIndex(chunk);
        PathState path = path(slot);
        if (done.get(chunk) || !holds(slot, chunk)) {
            return Outcome.IGNORED;
        }
        if (ChunkRetries.pathFatal(code)) {
            dropPath(slot, code);
            return Outcome.PATH_DROPPED;
        }
        long now = clock.getAsLong();
        path.settle(chunk, now);
        List<Integer> holders = copies.get(chunk);
        holders.remove(Integer.valueOf(slot));
        int count = retriesBook.failed(chunk);
        if (count > retries) {
            throw new MpftException(code, "chunk " + chunk + " failed " + count + " times (last on "
                    + path.name() + ": " + code + "), more than the " + retries + " retries allowed");
        }
        int onThisPath = retriesBook.failedOn(chunk, slot);
        if (!holders.isEmpty()) {
            return Outcome.OTHER_COPY_PENDING;
        }
        copies.remove(chunk);
        if (onThisPath < 2) {
            retriesBook.repeatOn(slot, chunk);
            return Outcome.RETRY_SAME_PATH;
        }
        retriesBook.addMoved(chunk, paths);
        return Outcome.MOVED;
    }

    /**
     * Drops a path from the transfer (it died, its copy is stale, it refused the transfer): its chunks in
     * flight, queued or reserved move to the paths left, without counting as chunk failures.
     *
     * @return the chunks that moved
     * @throws MpftException SERVER_UNAVAILABLE (or {@code why} when it is STALE_FILE) when no path is left
     */
    public synchronized List<Integer> dropPath(int slot, ErrorCode why) throws MpftException {
        PathState path = path(slot);
        if (!path.alive()) {
            return List.of();
        }
        path.kill();
        long now = clock.getAsLong();
        List<Integer> movedChunks = new ArrayList<>();
        for (int chunk : new ArrayList<>(path.inFlight.keySet())) {
            path.settle(chunk, now);
            List<Integer> holders = copies.get(chunk);
            if (holders != null) {
                holders.remove(Integer.valueOf(slot));
                if (holders.isEmpty()) {
                    copies.remove(chunk);
                    movedChunks.add(chunk);
                }
            }
        }
        movedChunks.addAll(retriesBook.takeRepeats(slot));
        if (started) {
            for (int chunk : strategy.reservedFor(slot, slotsAtStart, fresh)) {
                fresh.clear(chunk);
                movedChunks.add(chunk);
            }
        }
        for (int chunk : movedChunks) {
            if (!done.get(chunk)) {
                retriesBook.exclude(chunk, slot);
                retriesBook.addMoved(chunk, paths);
            }
        }
        if (paths.stream().noneMatch(PathState::alive)) {
            throw new MpftException(why == ErrorCode.STALE_FILE ? why : ErrorCode.SERVER_UNAVAILABLE,
                    "no path left for the transfer: " + path.name() + " dropped (" + why + ")");
        }
        return movedChunks;
    }

    /**
     * A chunk in flight on a secondary that timed out.
     *
     * @param slot          the path
     * @param chunk         its oldest chunk in flight
     * @param timeoutNanos  the timeout it exceeded (adapted to the path's measured speed)
     * @param stalled       true when this is the path's {@link ChunkTimeoutPolicy#STALLED_AFTER}th timeout in a
     *                      row without a delivery: drop the path rather than repeat the chunk
     */
    public record Overdue(int slot, int chunk, long timeoutNanos, boolean stalled) {
    }

    /**
     * The secondaries whose oldest chunk in flight is overdue under {@code policy} (at most one chunk per
     * path per call), each recorded as a timeout of its path. The caller settles each with {@link #failed}
     * (CHUNK_TIMEOUT) or, when stalled, {@link #dropPath}. The primary's own path is not judged here: its
     * chunks travel on the client's own connection, whose loss ends the transfer anyway.
     */
    public synchronized List<Overdue> overdue(ChunkTimeoutPolicy policy) {
        return started ? policy.overdue(paths, plan, clock.getAsLong()) : List.of();
    }

    /** True when every chunk is done. */
    public synchronized boolean isComplete() {
        return done.cardinality() >= chunkCount;
    }

    /** Chunks done (held by the client). */
    public synchronized int doneCount() {
        return done.cardinality();
    }

    /** Chunk failures so far (each one led to a resend). */
    public synchronized int retriesUsed() {
        return retriesBook.retriesUsed();
    }

    /** Endgame duplicates handed out so far. */
    public synchronized int duplicates() {
        return duplicates;
    }

    /** True while {@code slot} is part of the transfer. */
    public synchronized boolean alive(int slot) {
        return path(slot).alive();
    }

    /** The number of paths. */
    public synchronized int pathCount() {
        return paths.size();
    }

    /** The chunks {@code slot} has in flight, in hand-out order. */
    public synchronized List<Integer> inFlightChunks(int slot) {
        return List.copyOf(path(slot).inFlight.keySet());
    }

    /**
     * What one path delivered first (the copies the client kept).
     *
     * @param chunks chunks credited to it
     * @param bytes  their bytes
     */
    public record Delivered(int chunks, long bytes) {
    }

    /** Chunks and bytes credited to {@code slot}. */
    public synchronized Delivered delivered(int slot) {
        PathState path = path(slot);
        return new Delivered(path.deliveredChunks(), path.deliveredBytes());
    }

    /** The slots holding a copy of {@code chunk} in flight. */
    public synchronized List<Integer> holders(int chunk) {
        List<Integer> holders = copies.get(chunk);
        return holders == null ? List.of() : List.copyOf(holders);
    }

    private boolean holds(int slot, int chunk) {
        List<Integer> holders = copies.get(chunk);
        return holders != null && holders.contains(slot);
    }

    private PathState path(int slot) {
        if (slot < 0 || slot >= paths.size()) {
            throw new IllegalArgumentException("no path " + slot);
        }
        return paths.get(slot);
    }

    private void checkIndex(int chunk) {
        if (chunk < 0 || chunk >= chunkCount) {
            throw new IllegalArgumentException("chunk " + chunk + " outside [0, " + chunkCount + ")");
        }
    }

    @Override
    public synchronized String toString() {
        return "ChunkSchedule[" + strategy.kind().settingName() + ", done " + done.cardinality() + "/" + chunkCount
                + ", fresh " + fresh.cardinality() + ", moved " + retriesBook.movedCount() + ", paths " + paths + "]";
    }
}
