package org.mpft.plugin.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mpft.protocol.ChunkPlan;

/**
 * How long a path may go without delivering a chunk before its oldest chunk in flight times out
 * (CHUNK_TIMEOUT), and when a path counts as stalled. The timeout adapts to the path's measured speed, so a
 * slow path is not taken for a dead one: {@code max(floor, factor x length / rate)}, where {@code rate} is
 * the path's delivery rate as measured up to its last delivery (not diluted by the silence being judged).
 * A path without a measurement yet gets {@value #UNMEASURED_FLOORS} floors. Pure and immutable.
 *
 * @param floor  the shortest timeout ({@code mpft.chunk-timeout.min}, default 5 s)
 * @param factor how many times one chunk's expected time ({@code mpft.chunk-timeout.factor}, default 8)
 */
public record ChunkTimeoutPolicy(Duration floor, int factor) {

    /** A path not measured yet (no delivery) waits this many floors. */
    static final int UNMEASURED_FLOORS = 4;

    /** Timeouts in a row, without a delivery in between, after which a path is stalled and dropped. */
    static final int STALLED_AFTER = 2;

    /** The defaults: 5 s floor, factor 8. */
    public static final ChunkTimeoutPolicy DEFAULT = new ChunkTimeoutPolicy(Duration.ofSeconds(5), 8);

    /** Checks the values. */
    public ChunkTimeoutPolicy {
        Objects.requireNonNull(floor, "floor");
        if (floor.isNegative() || floor.isZero()) {
            throw new IllegalArgumentException("floor must be positive: " + floor);
        }
        if (factor < 1) {
            throw new IllegalArgumentException("factor < 1: " + factor);
        }
    }

    /**
     * The timeout of a chunk on a path.
     *
     * @param bytesPerSecond the path's measured rate; 0 or less when not measured yet
     * @param chunkBytes     the chunk's length
     * @return nanoseconds
     */
    long timeoutNanos(double bytesPerSecond, long chunkBytes) {
        long floorNanos = floor.toNanos();
        if (bytesPerSecond <= 0) {
            return floorNanos * UNMEASURED_FLOORS;
        }
        double expected = chunkBytes / bytesPerSecond * 1e9;
        double adaptive = expected * factor;
        return adaptive >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(floorNanos, (long) adaptive);
    }

    /** True when a path with this many timeouts in a row (no delivery between them) is stalled. */
    boolean stalled(int timeoutsInARow) {
        return timeoutsInARow >= STALLED_AFTER;
    }

    /**
     * The secondaries among {@code paths} whose oldest chunk in flight is overdue {@code now} (at most one
     * chunk per path), each recorded as a timeout of its path.
     */
    List<ChunkSchedule.Overdue> overdue(List<PathState> paths, ChunkPlan plan, long now) {
        List<ChunkSchedule.Overdue> list = new ArrayList<>();
        for (PathState path : paths) {
            if (!path.alive() || !path.needsDigest() || path.inFlightCount() == 0) {
                continue;
            }
            int chunk = path.inFlight.keySet().iterator().next();
            long timeout = timeoutNanos(path.rateAtLastDelivery(), plan.length(chunk));
            if (now - path.owingSince() > timeout) {
                list.add(new ChunkSchedule.Overdue(path.slot(), chunk, timeout, stalled(path.timedOut(now))));
            }
        }
        return list;
    }

    @Override
    public String toString() {
        return "max(" + floor.toMillis() + " ms, " + factor + " x chunk time)";
    }
}
