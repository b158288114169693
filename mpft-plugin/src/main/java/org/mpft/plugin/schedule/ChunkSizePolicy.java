package org.mpft.plugin.schedule;

import org.mpft.protocol.ChunkPlan;

/**
 * Chooses a transfer's chunk size from the file's size, the number of paths and their speed, within the
 * configured bounds ({@code mpft.chunk-size.min}, {@code mpft.chunk-size.max}):
 * <ul>
 *   <li><b>speed</b>: a chunk should take about {@value #SECONDS_PER_CHUNK_MS} ms on one path, so that per-chunk
 *       costs (a stream, a header, a checksum, an ACK round trip) stay small on fast paths while a slow path
 *       still finishes a chunk quickly. The speed is the recent per-path throughput of finished transfers on
 *       this instance (the metrics' recent path speed); before the first one, {@code mpft.chunk-size}
 *       is used as it is;</li>
 *   <li><b>small files</b>: a file that one round of chunks covers gets one chunk per path (one chunk on a
 *       single path), never a crowd of tiny chunks. The chunks are equal shares (rounded up to
 *       {@value #SHARE_ALIGNMENT} bytes), so that every path carries as many bytes of the file as the others: with
 *       a power of two, a file just over one would leave the second path a sliver, and in a tree of such files
 *       the first path would carry most of the bytes while the others wait. A share may be smaller than
 *       {@code mpft.chunk-size.min} when the file is smaller than paths x min; a file of at most min is one
 *       chunk;</li>
 *   <li><b>balance</b>: otherwise each path gets at least {@value #CHUNKS_PER_PATH} chunks, so the coordinator
 *       can move work from a slow path to a fast one;</li>
 *   <li>otherwise the result is a power of two (page- and buffer-friendly, and few distinct sizes so that a
 *       resumed download usually meets the same plan), within the bounds, and never gives more than
 *       {@link ChunkPlan#MAX_CHUNKS} chunks.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ChunkSizePolicy {

    /** The time one chunk should take on one path, milliseconds. */
    static final int SECONDS_PER_CHUNK_MS = 250;

    /** Chunks per path at least, once the file is larger than one round of chunks. */
    static final int CHUNKS_PER_PATH = 4;

    /** Equal shares of a small file are rounded up to a multiple of this (a page). */
    static final int SHARE_ALIGNMENT = ChunkPlan.MIN_CHUNK_SIZE;

    /** Transfers smaller than this do not update the speed estimate (too short to measure). */
    public static final long SPEED_SAMPLE_MIN_BYTES = 16L << 20;

    private final int min;
    private final int max;
    private final int fallback;

    /**
     * @param min      the smallest chunk size, bytes, at least {@link ChunkPlan#MIN_CHUNK_SIZE}
     * @param max      the largest chunk size, bytes, at most {@link ChunkPlan#MAX_CHUNK_SIZE}, {@code >= min}
     * @param fallback the chunk size to aim at while no path speed is known, bytes ({@code mpft.chunk-size})
     */
    public ChunkSizePolicy(int min, int max, int fallback) {
        if (min < ChunkPlan.MIN_CHUNK_SIZE || max > ChunkPlan.MAX_CHUNK_SIZE || min > max) {
            throw new IllegalArgumentException("chunk size bounds [" + min + ", " + max + "] outside ["
                    + ChunkPlan.MIN_CHUNK_SIZE + ", " + ChunkPlan.MAX_CHUNK_SIZE + "] or reversed");
        }
        this.min = min;
        this.max = max;
        this.fallback = fallback;
    }

    /** The smallest chunk size, bytes. */
    int min() {
        return min;
    }

    /** The largest chunk size, bytes. */
    int max() {
        return max;
    }

    /**
     * @param fileSize  the file's size, bytes
     * @param paths     the paths that will serve the transfer (1 + secondaries), {@code >= 1}
     * @param pathSpeed the speed of one path, bytes per second; 0 when unknown
     * @return the chunk size, bytes: an equal share per path (a multiple of {@value #SHARE_ALIGNMENT}, at most
     *         {@link #max()}) for a file over {@link #min()} that one round covers; otherwise a power of two in
     *         [{@link #min()}, {@link #max()}]; either raised to the smallest power of two that keeps the plan
     *         within {@link ChunkPlan#MAX_CHUNKS} when it would exceed it
     */
    public int choose(long fileSize, int paths, long pathSpeed) {
        if (paths < 1) {
            throw new IllegalArgumentException("paths < 1");
        }
        long target = pathSpeed > 0 ? pathSpeed * SECONDS_PER_CHUNK_MS / 1000 : fallback;
        long size;
        boolean equalShares = fileSize <= target * paths && paths > 1 && fileSize > min;
        if (equalShares) {
            long share = ceilDiv(ceilDiv(fileSize, paths), SHARE_ALIGNMENT) * SHARE_ALIGNMENT; // one per path
            size = Math.min(max, share);
        } else {
            size = fileSize <= target * paths
                    ? ceilPowerOfTwo(ceilDiv(Math.max(fileSize, 1), paths)) // small: one chunk per path
                    : floorPowerOfTwo(Math.min(target, ceilDiv(fileSize, (long) paths * CHUNKS_PER_PATH)));
            size = Math.max(min, Math.min(max, size));
        }
        size = Math.max(size, ceilPowerOfTwo(ceilDiv(fileSize, ChunkPlan.MAX_CHUNKS)));
        return (int) Math.max(ChunkPlan.MIN_CHUNK_SIZE, Math.min(ChunkPlan.MAX_CHUNK_SIZE, size));
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    private static long floorPowerOfTwo(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n);
    }

    private static long ceilPowerOfTwo(long n) {
        long floor = floorPowerOfTwo(n);
        return floor == n ? n : floor << 1;
    }
}
