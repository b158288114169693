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
 * opening chunks to the others ({@link #reservedFor}). The primary may deal the opening otherwise, chunk by
 * chunk ({@code openingOwners}): over a client connection's transfers it deals each to the path with the
 * shortest queue ({@code org.mpft.plugin.primary.PathBalance}).
 */
final class AdaptiveStrategy implements ChunkStrategy {

    /** The smallest window: one chunk on the wire while the next is read. */
    static final int MIN_WINDOW = 2;

    private final int maxWindow;
    private final int chunkSize;
    /** The slot each opening chunk is dealt to, by chunk; past its end chunk {@code i} goes to slot {@code i mod N}. */
    private final int[] openingOwners;
    private int cursor;

    /**
     * @param maxWindow the largest window (at least {@value #MIN_WINDOW})
     * @param chunkSize the transfer's chunk size, bytes
     * @param openingOwners the slot each opening chunk is dealt to, by chunk (empty: chunk {@code i} to slot
     *                      {@code i mod N})
     */
    AdaptiveStrategy(int maxWindow, int chunkSize, int[] openingOwners) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize < 1");
        }
        for (int owner : openingOwners) {
            if (owner < 0) {
                throw new IllegalArgumentException("an opening chunk's slot < 0");
            }
        }
        this.openingOwners = openingOwners.clone();
        this.maxWindow = Math.max(MIN_WINDOW, maxWindow);
        this.chunkSize = chunkSize;
    }

    @Override
    public Strategy kind() {
        return Strategy.ADAPTIVE;
    }

    @Override
    public int pickFresh(int slot, int slots, BitSet fresh, int below) {
        int own = nextOpening(slot, 0, slots, fresh);
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
        for (int chunk = nextOpening(slot, 0, slots, fresh); chunk >= 0 && chunk < below && count < n;
             chunk = nextOpening(slot, chunk + 1, slots, fresh)) {
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
        for (int chunk = nextOpening(slot, 0, slots, fresh); chunk >= 0;
             chunk = nextOpening(slot, chunk + 1, slots, fresh)) {
            reserved.add(chunk);
        }
        return reserved;
    }

    /**
     * The first fresh opening chunk (below {@code slots} x {@value #MIN_WINDOW}) of {@code slot} from {@code from}
     * on; -1 when none is left.
     */
    private int nextOpening(int slot, int from, int slots, BitSet fresh) {
        for (int chunk = fresh.nextSetBit(from); chunk >= 0 && chunk < slots * MIN_WINDOW;
             chunk = fresh.nextSetBit(chunk + 1)) {
            if (openingOwner(chunk, slots) == slot) {
                return chunk;
            }
        }
        return -1;
    }

    /**
     * The slot an opening chunk is dealt to: the one {@link #openingOwners} names when it names one of the
     * {@code slots}, else {@code i mod slots}.
     */
    int openingOwner(int chunk, int slots) {
        if (chunk < openingOwners.length && openingOwners[chunk] < slots) {
            return openingOwners[chunk];
        }
        return chunk % slots;
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
