package org.mpft.plugin.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One path of one transfer as the {@link ChunkSchedule} tracks it: its chunks in flight (in the order they
 * were handed out) and what it delivered, with the measurements {@link AdaptiveStrategy} sizes windows
 * from. Guarded by the schedule's lock.
 */
final class PathState {

    /** After this much busy time the measurements are halved, so old samples fade. */
    static final long DECAY_NANOS = 2_000_000_000L;

    private final int slot;
    private final String name;
    private final boolean needsDigest;
    /** chunk -> when it was handed out (nanos) */
    final Map<Integer, Long> inFlight = new LinkedHashMap<>();
    private boolean alive = true;
    private long busySince = -1;
    private long busyNanos;
    private long measuredBytes;
    private long minLatencyNanos;
    private int deliveredChunks;
    private long deliveredBytes;
    /** chunk timeouts: the last delivery, the rate measured then, the last timeout, timeouts since a delivery */
    private long lastDeliveryNanos = Long.MIN_VALUE;
    private double rateAtLastDelivery;
    private long lastTimeoutNanos = Long.MIN_VALUE;
    private int timeoutsInARow;

    PathState(int slot, String name, boolean needsDigest) {
        this.slot = slot;
        this.name = name;
        this.needsDigest = needsDigest;
    }

    /** The path's slot: 0 for the primary, then the secondaries in order. */
    int slot() {
        return slot;
    }

    /** Its name (the instance name). */
    String name() {
        return name;
    }

    /** True when chunks may go to it only once the primary's digest of them reached the client. */
    boolean needsDigest() {
        return needsDigest;
    }

    /** False once it died or was dropped from the transfer. */
    boolean alive() {
        return alive;
    }

    void kill() {
        alive = false;
    }

    /** Chunks handed to it and not settled. */
    int inFlightCount() {
        return inFlight.size();
    }

    /** Chunks it delivered (ACKed while it held the only copy, or the first copy). */
    int deliveredChunks() {
        return deliveredChunks;
    }

    /** Bytes it delivered. */
    long deliveredBytes() {
        return deliveredBytes;
    }

    /** Its delivery rate while busy, bytes per second; 0 before its first delivery. */
    double bytesPerSecond(long now) {
        long busy = busyNanos + (busySince >= 0 ? now - busySince : 0);
        return busy <= 0 || measuredBytes == 0 ? 0 : measuredBytes * 1e9 / busy;
    }

    private long now;

    /** {@link #bytesPerSecond(long)} at the time of the schedule's last event. */
    double bytesPerSecond() {
        return bytesPerSecond(now);
    }

    /** The shortest hand-out-to-ACK time seen, nanoseconds; 0 before the first. */
    long minLatencyNanos() {
        return minLatencyNanos;
    }

    void tick(long nowNanos) {
        now = nowNanos;
    }

    void handedOut(int chunk, long nowNanos) {
        if (inFlight.isEmpty()) {
            busySince = nowNanos;
        }
        inFlight.put(chunk, nowNanos);
    }

    /** Removes a chunk from flight; returns when it was handed out, or null when it was not in flight. */
    Long settle(int chunk, long nowNanos) {
        Long since = inFlight.remove(chunk);
        if (since != null && inFlight.isEmpty() && busySince >= 0) {
            busyNanos += nowNanos - busySince;
            busySince = -1;
        }
        return since;
    }

    /** Counts a delivery; {@code measure} adds it to the rate and latency measurements too. */
    void delivered(int bytes, long latencyNanos, boolean measure) {
        deliveredChunks++;
        deliveredBytes += bytes;
        if (!measure) {
            return;
        }
        measuredBytes += bytes;
        if (latencyNanos > 0 && (minLatencyNanos == 0 || latencyNanos < minLatencyNanos)) {
            minLatencyNanos = latencyNanos;
        }
        if (busyNanos > DECAY_NANOS) {
            busyNanos /= 2;
            measuredBytes /= 2;
        }
    }

    /** A delivery at {@code nowNanos}: remembers the rate measured up to it and clears the timeouts in a row. */
    void progressed(long nowNanos) {
        lastDeliveryNanos = nowNanos;
        rateAtLastDelivery = bytesPerSecond(nowNanos);
        timeoutsInARow = 0;
    }

    /** The rate measured up to the last delivery, bytes per second; 0 before the first. */
    double rateAtLastDelivery() {
        return rateAtLastDelivery;
    }

    /**
     * Since when the path owes the client a chunk: the latest of its last delivery, its last timeout and the
     * hand-out of its oldest chunk in flight; {@link Long#MIN_VALUE} when nothing is in flight.
     */
    long owingSince() {
        if (inFlight.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long oldest = inFlight.values().iterator().next();
        return Math.max(oldest, Math.max(lastDeliveryNanos, lastTimeoutNanos));
    }

    /** Its oldest chunk in flight timed out at {@code nowNanos}; returns the timeouts in a row now. */
    int timedOut(long nowNanos) {
        lastTimeoutNanos = nowNanos;
        return ++timeoutsInARow;
    }

    @Override
    public String toString() {
        return name + "[slot " + slot + (alive ? "" : ", dropped") + ", in flight " + inFlight.keySet()
                + ", delivered " + deliveredChunks + "]";
    }
}
