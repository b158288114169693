package org.mpft.client;

import java.util.Arrays;

/**
 * The latency of every chunk a download received and accepted, measured on the client: from the first
 * byte of the chunk's stream to the chunk verified, written and acknowledged (so it includes the transfer
 * of its bytes, decoding, verification, the write, queueing on the download's thread and, for a
 * secondary's chunk, any wait for the primary's digest). Chunks taken from a partial download, duplicates
 * and refused chunks are not counted. Immutable; 8 bytes per chunk.
 */
public final class ChunkLatencies {

    /** No chunk measured. */
    public static final ChunkLatencies NONE = new ChunkLatencies(new long[0], 0);

    private final long[] nanos;

    private ChunkLatencies(long[] nanos, int count) {
        this.nanos = Arrays.copyOf(nanos, count);
        Arrays.sort(this.nanos);
    }

    /** Chunks measured. */
    public int count() {
        return nanos.length;
    }

    /**
     * The latency at or below which {@code percent} % of the chunks fall (nearest rank).
     *
     * @param percent 0 (the fastest) to 100 (the slowest)
     * @return nanoseconds; 0 when nothing was measured
     */
    public long percentileNanos(double percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0..100: " + percent);
        }
        if (nanos.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * nanos.length);
        return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))];
    }

    /** Every latency, ascending, nanoseconds (a copy). */
    public long[] sortedNanos() {
        return nanos.clone();
    }

    /** Collects latencies on the download's thread. Not thread-safe. */
    static final class Recorder {
        private long[] nanos = new long[16];
        private int count;

        void add(long latencyNanos) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = Math.max(0, latencyNanos);
        }

        ChunkLatencies done() {
            return new ChunkLatencies(nanos, count);
        }
    }

    @Override
    public String toString() {
        return "ChunkLatencies[" + count() + " chunks, p50 " + percentileNanos(50) / 1000 + " us, p99 "
                + percentileNanos(99) / 1000 + " us]";
    }
}
