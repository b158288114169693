package org.mpft.plugin.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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
 * ({@link #pathFatal}: stale copy, server gone, ticket or rights refused) drops the path from the
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
    /** per path: chunks to send again on that same path */
    private final List<Deque<Integer>> again = new ArrayList<>();
    /** chunks any path may take (after a repeat failed, or their path died) */
    private final TreeSet<Integer> moved = new TreeSet<>();
    /** chunk -> paths that failed it twice (or died holding it) */
    private final Map<Integer, Set<Integer>> excluded = new HashMap<>();
    /** chunk -> (path -> failures on that path) */
    private final Map<Integer, Map<Integer, Integer>> failuresByPath = new HashMap<>();
    private final Map<Integer, Integer> failures = new HashMap<>();
    /** chunk -> paths holding a copy in flight, in hand-out order */
    private final Map<Integer, List<Integer>> copies = new HashMap<>();
    private int digestFrontier;
    private boolean started;
    private int slotsAtStart;
    private int retriesUsed;
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
    }

    /** The strategy in use. */
    Strategy strategy() {
        return strategy.kind();
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
        again.add(new ArrayDeque<>());
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
        int chunk = fromAgain(slot, limit);
        if (chunk < 0) {
            chunk = fromMoved(slot, limit);
        }
        if (chunk < 0 && !(strategy.endgame() && othersFinishSooner(path))) {
            chunk = strategy.pickFresh(slot, slotsAtStart, fresh, limit);
            if (chunk >= 0) {
                fresh.clear(chunk);
            }
        }
        if (chunk < 0 && strategy.endgame() && path.inFlightCount() == 0 && fresh.isEmpty() && movedEmpty()) {
            chunk = endgameCandidate(path, limit);
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

    private int fromAgain(int slot, int limit) {
        Deque<Integer> queue = again.get(slot);
        for (Iterator<Integer> it = queue.iterator(); it.hasNext(); ) {
            int chunk = it.next();
            if (done.get(chunk) || holds(slot, chunk)) {
                it.remove();
            } else if (chunk < limit) {
                it.remove();
                return chunk;
            }
        }
        return -1;
    }

    private int fromMoved(int slot, int limit) {
        for (Iterator<Integer> it = moved.iterator(); it.hasNext(); ) {
            int chunk = it.next();
            if (chunk >= limit) {
                return -1;
            }
            if (done.get(chunk)) {
                it.remove();
                continue;
            }
            Set<Integer> no = excluded.get(chunk);
            if ((no == null || !no.contains(slot)) && !holds(slot, chunk)) {
                it.remove();
                return chunk;
            }
        }
        return -1;
    }

    /**
     * The tail rule of the adaptive strategy: true when the other paths can deliver every fresh chunk left
     * before {@code path} could deliver one more, so handing it one would only make the transfer end later.
     * Unmeasured paths count for nothing (no rate yet: no promise).
     */
    private boolean othersFinishSooner(PathState path) {
        long now = clock.getAsLong();
        double rate = path.bytesPerSecond(now);
        int remaining = fresh.cardinality();
        if (rate <= 0 || remaining == 0) {
            return false;
        }
        long chunk = plan.chunkSize();
        double mine = (bytesInFlight(path) + chunk) / rate;
        double capacity = 0;
        for (PathState other : paths) {
            double otherRate = other.bytesPerSecond(now);
            if (other == path || !other.alive() || otherRate <= 0) {
                continue;
            }
            double spare = mine - bytesInFlight(other) / otherRate;
            if (spare > 0) {
                capacity += Math.floor(spare * otherRate / chunk);
            }
        }
        return capacity >= remaining;
    }

    private long bytesInFlight(PathState path) {
        long bytes = 0;
        for (int chunk : path.inFlight.keySet()) {
            bytes += plan.length(chunk);
        }
        return bytes;
    }

    private boolean movedEmpty() {
        moved.removeIf(done::get);
        return moved.isEmpty();
    }

    /**
     * The outstanding chunk that would arrive last, if {@code idle} can bring it sooner: the most recently
     * handed-out single-copy chunk of the path with the most time of work left.
     */
    private int endgameCandidate(PathState idle, int limit) {
        long now = clock.getAsLong();
        int best = -1;
        double bestSeconds = -1;
        for (PathState other : paths) {
            if (other == idle || !other.alive() || other.inFlightCount() == 0) {
                continue;
            }
            double rate = other.bytesPerSecond(now);
            long bytesLeft = 0;
            int newest = -1;
            for (int chunk : other.inFlight.keySet()) {
                bytesLeft += plan.length(chunk);
                List<Integer> holders = copies.get(chunk);
                Set<Integer> no = excluded.get(chunk);
                if (chunk < limit && holders != null && holders.size() == 1
                        && (no == null || !no.contains(idle.slot()))) {
                    newest = chunk;
                }
            }
            if (newest < 0) {
                continue;
            }
            double seconds = rate > 0 ? bytesLeft / rate : Double.MAX_VALUE;
            if (seconds > bestSeconds) {
                bestSeconds = seconds;
                best = newest;
            }
        }
        if (best < 0) {
            return -1;
        }
        double ownRate = idle.bytesPerSecond(now);
        if (ownRate > 0 && bestSeconds != Double.MAX_VALUE) {
            double ownSeconds = plan.length(best) / ownRate + idle.minLatencyNanos() / 1e9 / 2;
            if (ownSeconds >= bestSeconds) {
                return -1; // the copy in flight arrives first anyway
            }
        }
        return best;
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
        failures.remove(chunk);
        failuresByPath.remove(chunk);
        excluded.remove(chunk);
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
        if (pathFatal(code)) {
            dropPath(slot, code);
            return Outcome.PATH_DROPPED;
        }
        long now = clock.getAsLong();
        path.settle(chunk, now);
        List<Integer> holders = copies.get(chunk);
        holders.remove(Integer.valueOf(slot));
        int count = failures.merge(chunk, 1, Integer::sum);
        retriesUsed++;
        if (count > retries) {
            throw new MpftException(code, "chunk " + chunk + " failed " + count + " times (last on "
                    + path.name() + ": " + code + "), more than the " + retries + " retries allowed");
        }
        int onThisPath = failuresByPath.computeIfAbsent(chunk, c -> new HashMap<>()).merge(slot, 1, Integer::sum);
        if (onThisPath >= 2) {
            excluded.computeIfAbsent(chunk, c -> new HashSet<>()).add(slot);
        }
        if (!holders.isEmpty()) {
            return Outcome.OTHER_COPY_PENDING;
        }
        copies.remove(chunk);
        if (onThisPath < 2) {
            again.get(slot).addFirst(chunk);
            return Outcome.RETRY_SAME_PATH;
        }
        addMoved(chunk);
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
        movedChunks.addAll(again.get(slot));
        again.get(slot).clear();
        if (started) {
            for (int chunk : strategy.reservedFor(slot, slotsAtStart, fresh)) {
                fresh.clear(chunk);
                movedChunks.add(chunk);
            }
        }
        for (int chunk : movedChunks) {
            if (!done.get(chunk)) {
                excluded.computeIfAbsent(chunk, c -> new HashSet<>()).add(slot);
                addMoved(chunk);
            }
        }
        if (paths.stream().noneMatch(PathState::alive)) {
            throw new MpftException(why == ErrorCode.STALE_FILE ? why : ErrorCode.SERVER_UNAVAILABLE,
                    "no path left for the transfer: " + path.name() + " dropped (" + why + ")");
        }
        return movedChunks;
    }

    private void addMoved(int chunk) {
        Set<Integer> no = excluded.get(chunk);
        if (no != null && paths.stream().filter(PathState::alive).allMatch(p -> no.contains(p.slot()))) {
            no.clear(); // every path left failed it: let them try again rather than strand it
        }
        moved.add(chunk);
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
        if (!started) {
            return List.of();
        }
        long now = clock.getAsLong();
        List<Overdue> list = new ArrayList<>();
        for (PathState path : paths) {
            if (!path.alive() || !path.needsDigest() || path.inFlightCount() == 0) {
                continue;
            }
            int chunk = path.inFlight.keySet().iterator().next();
            long timeout = policy.timeoutNanos(path.rateAtLastDelivery(), plan.length(chunk));
            if (now - path.owingSince() > timeout) {
                list.add(new Overdue(path.slot(), chunk, timeout, policy.stalled(path.timedOut(now))));
            }
        }
        return list;
    }

    /** True when the path's errors of this kind make it useless for the whole transfer. */
    static boolean pathFatal(ErrorCode code) {
        return switch (code) {
            case STALE_FILE, SERVER_UNAVAILABLE, INVALID_TICKET, ACCESS_DENIED, FILE_NOT_FOUND, FILE_CHANGED,
                 CLUSTER_AUTH_FAILED, CANCELLED -> true;
            default -> false;
        };
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
        return retriesUsed;
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
    synchronized int pathCount() {
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
                + ", fresh " + fresh.cardinality() + ", moved " + moved.size() + ", paths " + paths + "]";
    }
}
