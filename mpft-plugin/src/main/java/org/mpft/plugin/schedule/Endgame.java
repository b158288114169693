package org.mpft.plugin.schedule;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.mpft.protocol.ChunkPlan;

/**
 * The end of an adaptive transfer, when paths run out of fresh chunks: the tail rule (a path whose next
 * chunk would arrive after the others could deliver every fresh chunk left gets none) and the endgame
 * duplicate (an idle path re-requests the outstanding chunk that would arrive last, when it can bring it
 * sooner). Reads the state of its {@link ChunkSchedule}: confined to its lock.
 */
final class Endgame {

    private final ChunkPlan plan;
    private final List<PathState> paths;
    private final Map<Integer, List<Integer>> copies;
    private final ChunkRetries retries;

    /**
     * @param plan    the transfer's chunks
     * @param paths   the schedule's paths, by slot
     * @param copies  chunk -> paths holding a copy in flight, in hand-out order
     * @param retries the paths excluded from each chunk
     */
    Endgame(ChunkPlan plan, List<PathState> paths, Map<Integer, List<Integer>> copies, ChunkRetries retries) {
        this.plan = plan;
        this.paths = paths;
        this.copies = copies;
        this.retries = retries;
    }

    /**
     * The tail rule: true when the other paths can deliver every fresh chunk left before {@code path} could
     * deliver one more, so handing it one would only make the transfer end later. Unmeasured paths count
     * for nothing (no rate yet: no promise).
     */
    boolean othersFinishSooner(PathState path, BitSet fresh, long now) {
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

    /**
     * The outstanding chunk that would arrive last, if {@code idle} can bring it sooner: the most recently
     * handed-out single-copy chunk of the path with the most time of work left; -1 for none.
     */
    int candidate(PathState idle, int limit, long now) {
        double ownRate = idle.bytesPerSecond(now);
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
                if (chunk < limit && holders != null && holders.size() == 1
                        && !retries.excludes(chunk, idle.slot())) {
                    newest = chunk;
                }
            }
            if (newest < 0) {
                continue;
            }
            if (rate <= 0 && (ownRate <= 0
                    || !outLongerThan(other, deliverySeconds(idle, ownRate, plan.chunkSize()), now))) {
                // Nothing measured of it yet, and not late by the idle path's own measure (an idle path that
                // measured nothing either has none): a path that only just got its first chunk (a secondary
                // starts after the client's attach and the first digests) is not slow. Duplicating its chunk
                // would spend its share of the bytes twice, which on a tree of small files, each file in its
                // endgame after a chunk or two, took a third of the paths' capacity. A chunk that stalls is
                // moved by its timeout instead.
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
        if (ownRate > 0 && bestSeconds != Double.MAX_VALUE
                && deliverySeconds(idle, ownRate, plan.length(best)) >= bestSeconds) {
            return -1; // the copy in flight arrives first anyway
        }
        return best;
    }

    /** Seconds {@code path}, sending at {@code rate}, needs to deliver {@code bytes} handed to it now. */
    private static double deliverySeconds(PathState path, double rate, long bytes) {
        return bytes / rate + path.minLatencyNanos() / 1e9 / 2;
    }

    /** True when the oldest chunk {@code path} has in flight was handed to it more than {@code seconds} ago. */
    private static boolean outLongerThan(PathState path, double seconds, long now) {
        long oldest = path.inFlight.values().iterator().next();
        return (now - oldest) / 1e9 > seconds;
    }
}
