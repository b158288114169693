package org.mpft.plugin.schedule;

import java.util.BitSet;
import java.util.List;
import org.mpft.protocol.Strategy;

/**
 * How a {@link ChunkSchedule} spreads the fresh chunks of one transfer over its paths and how many
 * chunks each path may have in flight. One instance per transfer (strategies keep cursors); called
 * with the schedule's lock held, so implementations need no locking of their own.
 *
 * <p>Paths are numbered by slot in the order they were added: slot 0 is the primary, then the
 * secondaries in {@code mpft.secondaries} order.
 */
public interface ChunkStrategy {

    /** {@code adaptive}'s opening: the first chunks of each path, dealt out in turn (chunk i to path i mod N). */
    int OPENING_CHUNKS_PER_PATH = AdaptiveStrategy.MIN_WINDOW;

    /** Which strategy this is, as sent in META. */
    Strategy kind();

    /**
     * The lowest fresh chunk (never handed out) that path {@code slot} should send next, or -1 when none
     * is meant for it now.
     *
     * @param slot   the asking path's slot
     * @param slots  the number of paths the transfer started with
     * @param fresh  the chunks never handed out; the strategy must not modify it
     * @param below  only chunks below this index may be returned (the digest frontier of a secondary)
     */
    int pickFresh(int slot, int slots, BitSet fresh, int below);

    /**
     * Up to {@code n} fresh chunks that {@link #pickFresh} would most likely return next for {@code slot}, in
     * order, without changing anything (for reading ahead). By default the lowest fresh chunks.
     */
    default int[] upcoming(int slot, int slots, BitSet fresh, int below, int n) {
        int[] out = new int[n];
        int count = 0;
        for (int chunk = fresh.nextSetBit(0); chunk >= 0 && chunk < below && count < n;
             chunk = fresh.nextSetBit(chunk + 1)) {
            out[count++] = chunk;
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /**
     * Every fresh chunk reserved for path {@code slot}, for when it dies; empty for strategies that
     * reserve nothing.
     */
    List<Integer> reservedFor(int slot, int slots, BitSet fresh);

    /** How many chunks the path may have in flight now (at least 1). */
    int window(PathState path);

    /**
     * True to let an idle path duplicate the slowest outstanding chunk of another path once no chunk is
     * left to hand out (the endgame); the first good copy wins.
     */
    boolean endgame();

    /**
     * A new strategy of the given kind.
     *
     * @param kind          {@code ALTERNATE} or {@code ADAPTIVE}
     * @param window        the fixed window of {@code alternate}, and the ceiling of {@code adaptive}'s
     * @param chunkSize     the transfer's chunk size, bytes
     * @param openingOwners {@code adaptive}: the slot each opening chunk is dealt to, by chunk (empty: chunk
     *                      {@code i} to slot {@code i mod N})
     */
    static ChunkStrategy of(Strategy kind, int window, int chunkSize, int[] openingOwners) {
        return switch (kind) {
            case ALTERNATE -> new AlternateStrategy(window);
            case ADAPTIVE -> new AdaptiveStrategy(window, chunkSize, openingOwners);
            default -> throw new IllegalArgumentException("no strategy for " + kind);
        };
    }
}
