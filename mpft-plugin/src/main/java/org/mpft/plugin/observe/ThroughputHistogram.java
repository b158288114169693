package org.mpft.plugin.observe;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The throughput of finished transfers (bytes per second over a whole transfer), counted in fixed buckets
 * from 64 KiB/s to 4 GiB/s, each four times the one before, and one open bucket above: what the Prometheus
 * histogram {@code mpft_transfer_throughput_bytes_per_second} shows. Updated from any thread.
 */
public final class ThroughputHistogram {

    /** The buckets' upper bounds, bytes per second, smallest first; a last bucket holds everything above. */
    private static final double[] BOUNDS = bounds();

    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final DoubleAdder sum = new DoubleAdder();

    /**
     * What the histogram holds at one moment.
     *
     * @param upperBounds the buckets' upper bounds, the last one {@link Double#POSITIVE_INFINITY}
     * @param counts      transfers in each bucket (not cumulative)
     * @param sum         the sum of every recorded throughput
     */
    public record Snapshot(double[] upperBounds, long[] counts, double sum) {
    }

    /** An empty histogram. */
    public ThroughputHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one transfer's throughput; a negative or NaN value is ignored. */
    public void record(double bytesPerSecond) {
        if (!(bytesPerSecond >= 0)) {
            return;
        }
        int bucket = 0;
        while (bucket < BOUNDS.length && bytesPerSecond > BOUNDS[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sum.add(bytesPerSecond);
    }

    /** The counts now (a transfer recorded meanwhile may be in the counts and not yet in the sum). */
    public Snapshot snapshot() {
        double[] upper = new double[BOUNDS.length + 1];
        System.arraycopy(BOUNDS, 0, upper, 0, BOUNDS.length);
        upper[BOUNDS.length] = Double.POSITIVE_INFINITY;
        long[] now = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            now[i] = counts[i].sum();
        }
        return new Snapshot(upper, now, sum.sum());
    }

    private static double[] bounds() {
        double[] b = new double[9];
        for (int i = 0; i < b.length; i++) {
            b[i] = 65536.0 * Math.pow(4, i);
        }
        return b;
    }
}
