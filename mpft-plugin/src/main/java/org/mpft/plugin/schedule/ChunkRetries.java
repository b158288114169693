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
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.mpft.protocol.ErrorCode;

/**
 * The chunks of one transfer to send again, and the failures behind them: per path, the chunks it repeats
 * itself (a first failure); the pool of moved chunks any other path may take (a repeat failed too, or
 * their path died); per chunk, its failures in all and per path, and the paths excluded from it (they
 * failed it twice, or died holding it). Part of a {@link ChunkSchedule}: confined to its lock.
 */
final class ChunkRetries {

    /** per path: chunks to send again on that same path */
    private final List<Deque<Integer>> again = new ArrayList<>();
    /** chunks any path may take (after a repeat failed, or their path died) */
    private final TreeSet<Integer> moved = new TreeSet<>();
    /** chunk -> paths that failed it twice (or died holding it) */
    private final Map<Integer, Set<Integer>> excluded = new HashMap<>();
    /** chunk -> (path -> failures on that path) */
    private final Map<Integer, Map<Integer, Integer>> failuresByPath = new HashMap<>();
    private final Map<Integer, Integer> failures = new HashMap<>();
    private int retriesUsed;

    /** A path joined (in slot order). */
    void addPath() {
        again.add(new ArrayDeque<>());
    }

    /** True when a path-level error of this kind makes the path useless for the whole transfer. */
    static boolean pathFatal(ErrorCode code) {
        return switch (code) {
            case STALE_FILE, SERVER_UNAVAILABLE, INVALID_TICKET, ACCESS_DENIED, FILE_NOT_FOUND, FILE_CHANGED,
                 CLUSTER_AUTH_FAILED, CANCELLED -> true;
            default -> false;
        };
    }

    /**
     * The first chunk below {@code limit} that {@code slot} repeats itself, now taken; -1 for none. Chunks
     * done meanwhile, or held by the path already, are forgotten on the way.
     */
    int fromAgain(int slot, int limit, BitSet done, BiPredicate<Integer, Integer> holds) {
        Deque<Integer> queue = again.get(slot);
        for (Iterator<Integer> it = queue.iterator(); it.hasNext(); ) {
            int chunk = it.next();
            if (done.get(chunk) || holds.test(slot, chunk)) {
                it.remove();
            } else if (chunk < limit) {
                it.remove();
                return chunk;
            }
        }
        return -1;
    }

    /** The lowest moved chunk below {@code limit} that {@code slot} may take, now taken; -1 for none. */
    int fromMoved(int slot, int limit, BitSet done, BiPredicate<Integer, Integer> holds) {
        for (Iterator<Integer> it = moved.iterator(); it.hasNext(); ) {
            int chunk = it.next();
            if (chunk >= limit) {
                return -1;
            }
            if (done.get(chunk)) {
                it.remove();
                continue;
            }
            if (!excludes(chunk, slot) && !holds.test(slot, chunk)) {
                it.remove();
                return chunk;
            }
        }
        return -1;
    }

    /** True when no moved chunk waits (done ones are forgotten first). */
    boolean movedEmpty(BitSet done) {
        moved.removeIf(done::get);
        return moved.isEmpty();
    }

    /** Moved chunks waiting. */
    int movedCount() {
        return moved.size();
    }

    /** True when {@code slot} may no longer get {@code chunk}. */
    boolean excludes(int chunk, int slot) {
        Set<Integer> no = excluded.get(chunk);
        return no != null && no.contains(slot);
    }

    /** {@code chunk} is done: its failures are forgotten. */
    void settled(int chunk) {
        failures.remove(chunk);
        failuresByPath.remove(chunk);
        excluded.remove(chunk);
    }

    /**
     * Counts a failure of {@code chunk} on {@code slot}.
     *
     * @return its failures in all (the caller fails the transfer above its retries)
     */
    int failed(int chunk) {
        retriesUsed++;
        return failures.merge(chunk, 1, Integer::sum);
    }

    /**
     * Counts the failure on the path; a second one there excludes the path from the chunk.
     *
     * @return the chunk's failures on {@code slot}
     */
    int failedOn(int chunk, int slot) {
        int onThisPath = failuresByPath.computeIfAbsent(chunk, c -> new HashMap<>()).merge(slot, 1, Integer::sum);
        if (onThisPath >= 2) {
            exclude(chunk, slot);
        }
        return onThisPath;
    }

    /** {@code slot} sends {@code chunk} again, before anything else. */
    void repeatOn(int slot, int chunk) {
        again.get(slot).addFirst(chunk);
    }

    /** The chunks {@code slot} was to repeat, now no longer its own. */
    List<Integer> takeRepeats(int slot) {
        List<Integer> taken = new ArrayList<>(again.get(slot));
        again.get(slot).clear();
        return taken;
    }

    /** {@code slot} may no longer get {@code chunk}. */
    void exclude(int chunk, int slot) {
        excluded.computeIfAbsent(chunk, c -> new HashSet<>()).add(slot);
    }

    /** Puts {@code chunk} in the pool any path may take; when every path left is excluded, none is. */
    void addMoved(int chunk, List<PathState> paths) {
        Set<Integer> no = excluded.get(chunk);
        if (no != null && paths.stream().filter(PathState::alive).allMatch(p -> no.contains(p.slot()))) {
            no.clear(); // every path left failed it: let them try again rather than strand it
        }
        moved.add(chunk);
    }

    /** Chunk failures so far (each one led to a resend). */
    int retriesUsed() {
        return retriesUsed;
    }
}
