package org.mpft.plugin.schedule;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.mpft.protocol.Strategy;

/**
 * The seed's rule: chunk {@code i} (counting from 0) goes to path {@code i mod N}, the primary being
 * path 0; with one secondary, chunks 1, 3, 5 ... (counting from 1) come from the primary and 2, 4, 6 ...
 * from the secondary. Each path keeps the fixed window {@code mpft.window}. No endgame: a path that
 * finishes its share early stays idle, which is what {@link AdaptiveStrategy} improves on. Chunks only
 * change path when one fails or its path dies.
 */
public final class AlternateStrategy implements ChunkStrategy {

    private final int window;
    /** Per slot: every chunk of that slot below the cursor has left the fresh set. */
    private int[] cursors = new int[0];

    /** @param window chunks in flight per path (at least 1) */
    public AlternateStrategy(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window < 1");
        }
        this.window = window;
    }

    @Override
    public Strategy kind() {
        return Strategy.ALTERNATE;
    }

    @Override
    public int pickFresh(int slot, int slots, BitSet fresh, int below) {
        if (cursors.length != slots) {
            cursors = new int[slots];
            for (int s = 0; s < slots; s++) {
                cursors[s] = s;
            }
        }
        int chunk = cursors[slot];
        int end = fresh.length();
        while (chunk < end && !fresh.get(chunk)) {
            chunk += slots;
        }
        cursors[slot] = chunk;
        return chunk < end && chunk < below ? chunk : -1;
    }

    @Override
    public int[] upcoming(int slot, int slots, BitSet fresh, int below, int n) {
        int[] out = new int[n];
        int count = 0;
        int start = cursors.length == slots ? cursors[slot] : slot;
        int end = Math.min(fresh.length(), below);
        for (int chunk = start; chunk < end && count < n; chunk += slots) {
            if (fresh.get(chunk)) {
                out[count++] = chunk;
            }
        }
        return java.util.Arrays.copyOf(out, count);
    }

    @Override
    public List<Integer> reservedFor(int slot, int slots, BitSet fresh) {
        List<Integer> reserved = new ArrayList<>();
        for (int chunk = fresh.nextSetBit(0); chunk >= 0; chunk = fresh.nextSetBit(chunk + 1)) {
            if (chunk % slots == slot) {
                reserved.add(chunk);
            }
        }
        return reserved;
    }

    @Override
    public int window(PathState path) {
        return window;
    }

    @Override
    public boolean endgame() {
        return false;
    }
}
