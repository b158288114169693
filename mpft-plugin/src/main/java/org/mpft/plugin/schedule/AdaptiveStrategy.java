package org.mpft.plugin.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.mpft.protocol.Strategy;

/**
 * Faster paths serve more: each path may keep a window of chunks in flight sized from its measured
 * throughput and round trip, {@code ceil(throughput x minLatency / chunkSize) + 1}, at least
 * {@value #MIN_WINDOW} and at most {@code mpft.window}; the next chunk (lowest index first) goes to the
 * path that frees room first, so each path is handed chunks at the pace it delivers them. When no chunk is
 * left to hand out, a path that goes idle duplicates the slowest outstanding chunk of another path
 * (endgame); the first good copy wins.
 *
 * <p>{@code minLatency} is the shortest time from handing a chunk to a path to the client's ACK: one
 * chunk's transmission plus a round trip, so the window covers the bandwidth-delay product plus the chunk
 * being sent. Until a path has delivered a chunk its window is {@value #MIN_WINDOW}.
 *
 * <p>The opening, the first {@value #MIN_WINDOW} chunks of each path, is dealt out as {@link AlternateStrategy}
 * does (chunk {@code i} to path {@code i mod N}): nothing is measured yet, and the primary, which starts at
 * once while a secondary still waits for the client's attach and the first digests, would otherwise take the
 * whole of a small file. A tree of small files then uses every path, file by file. A path that dies hands its
 * opening chunks to the others ({@link #reservedFor}).
 */
final class AdaptiveStrategy implements ChunkStrategy {

    /** The smallest window: one chunk on the wire while the next is read. */
    static final int MIN_WINDOW = 2;

    private final int maxWindow;
    private final int chunkSize;
    private int cursor;

    /**
     * @param maxWindow the largest window (at least {@value #MIN_WINDOW})
     * @param chunkSize the transfer's chunk size, bytes
     */
    AdaptiveStrategy(int maxWindow, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize < 1");
        }
        this.maxWindow = Math.max(MIN_WINDOW, maxWindow);
        this.chunkSize = chunkSize;
    }

    @Override
    public Strategy kind() {
        return Strategy.ADAPTIVE;
    }

    @Override
    public int pickFresh(int slot, int slots, BitSet fresh, int below) {
        int own = nextOpening(slot, slots, fresh);
        if (own >= 0) {
            return own < below ? own : -1;
        }
        // after the opening, fresh chunks are only ever taken, never given back: the cursor only moves forward
        int chunk = fresh.nextSetBit(Math.max(cursor, slots * MIN_WINDOW));
        if (chunk < 0) {
            cursor = fresh.size();
            return -1;
        }
        cursor = chunk;
        return chunk < below ? chunk : -1;
    }

    @Override
    public int[] upcoming(int slot, int slots, BitSet fresh, int below, int n) {
        int[] out = new int[n];
        int count = 0;
        for (int chunk = nextOpening(slot, slots, fresh); chunk >= 0 && chunk < below && count < n;
             chunk = nextOpening(chunk + slots, slots, fresh)) {
            out[count++] = chunk;
        }
        for (int chunk = fresh.nextSetBit(slots * MIN_WINDOW); chunk >= 0 && chunk < below && count < n;
             chunk = fresh.nextSetBit(chunk + 1)) {
            out[count++] = chunk;
        }
        return Arrays.copyOf(out, count);
    }

    @Override
    public List<Integer> reservedFor(int slot, int slots, BitSet fresh) {
        List<Integer> reserved = new ArrayList<>();
        for (int chunk = nextOpening(slot, slots, fresh); chunk >= 0;
             chunk = nextOpening(chunk + slots, slots, fresh)) {
            reserved.add(chunk);
        }
        return reserved;
    }

    /**
     * The first fresh opening chunk (below {@code slots} x {@value #MIN_WINDOW}) among {@code from},
     * {@code from + slots} ...: from a slot's index on, that slot's own opening chunks; -1 when none is left.
     */
    private static int nextOpening(int from, int slots, BitSet fresh) {
        for (int chunk = from; chunk < slots * MIN_WINDOW; chunk += slots) {
            if (fresh.get(chunk)) {
                return chunk;
            }
        }
        return -1;
    }

    @Override
    public int window(PathState path) {
        double rate = path.bytesPerSecond();
        long latency = path.minLatencyNanos();
        if (rate <= 0 || latency <= 0) {
            return MIN_WINDOW;
        }
        // one more than the pipe holds: a path limited by its window, not its link, then measures a higher
        // rate and grows, until the link is the limit (the way TCP and BBR probe for bandwidth)
        double chunks = Math.ceil(rate * latency / 1e9 / chunkSize) + 1;
        return (int) Math.max(MIN_WINDOW, Math.min(maxWindow, chunks));
    }

    @Override
    public boolean endgame() {
        return true;
    }
}
