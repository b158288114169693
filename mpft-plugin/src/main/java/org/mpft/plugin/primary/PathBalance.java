package org.mpft.plugin.primary;

import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mpft.plugin.schedule.ChunkStrategy;
import org.mpft.protocol.ChunkPlan;

/**
 * Evens out the bytes the paths of one client connection carry, by dealing each transfer's opening chunks to
 * the path with the shortest queue. Every path of the connection (the primary and each secondary) is charged
 * the bytes dealt to it until the client holds them: a transfer the primary serves alone (a file of one
 * chunk, or no secondary up) charges the primary its whole file, a transfer with secondaries charges each
 * path its share of the opening chunks, and each later chunk to the path it is handed to. A new transfer's
 * opening chunks go one by one to the path charged the fewest bytes. A path that delivers faster drains its queue sooner and is dealt more, so over a tree each
 * path carries about its share of the bytes, on paths of equal or unequal speed; and the bytes of the files
 * the primary serves alone are made up by the openings of the next bigger files. Thread-safe.
 */
final class PathBalance {

    /** The primary's own path, the first in every transfer's list of paths. */
    static final Object PRIMARY = new Object() {
        @Override
        public String toString() {
            return "primary";
        }
    };

    private static final AttributeKey<PathBalance> KEY = AttributeKey.valueOf(PathBalance.class.getName());

    /**
     * {@code -Dmpft.path-balance=off} in the host's JVM turns the balance off (for measurements): each opening
     * chunk {@code i} then goes to path {@code i mod N}.
     */
    private static final boolean ON = !"off".equals(System.getProperty("mpft.path-balance"));

    /** Bytes dealt to each path and not yet held by the client, by path. */
    private final Map<Object, Long> queued = new HashMap<>();

    /** The balance of {@code connection}'s paths, made at its first use. */
    static PathBalance of(Channel connection) {
        Attribute<PathBalance> attribute = connection.attr(KEY);
        PathBalance balance = attribute.get();
        if (balance == null) {
            PathBalance made = new PathBalance();
            balance = attribute.setIfAbsent(made);
            if (balance == null) {
                balance = made;
            }
        }
        return balance;
    }

    /**
     * Deals the opening chunks of a transfer of {@code plan} on {@code paths} ({@link #PRIMARY} first, then its
     * secondaries), skipping those the client {@code held} already, and charges them.
     */
    Charges deal(ChunkPlan plan, List<Object> paths, BitSet held) {
        if (paths.isEmpty() || paths.get(0) != PRIMARY) {
            throw new IllegalArgumentException("the primary's path comes first");
        }
        return new Charges(plan, List.copyOf(paths), held);
    }

    /** The bytes queued on {@code path} now. */
    synchronized long queued(Object path) {
        return queued.getOrDefault(path, 0L);
    }

    private synchronized int shortestQueue(List<Object> paths) {
        int best = 0;
        long bestBytes = Long.MAX_VALUE;
        for (int slot = 0; slot < paths.size(); slot++) {
            long bytes = queued.getOrDefault(paths.get(slot), 0L);
            if (bytes < bestBytes) {
                best = slot;
                bestBytes = bytes;
            }
        }
        return best;
    }

    private synchronized void add(Object path, long bytes) {
        if (bytes != 0) {
            long left = queued.getOrDefault(path, 0L) + bytes;
            if (left <= 0) {
                queued.remove(path);
            } else {
                queued.put(path, left);
            }
        }
    }

    /**
     * One transfer's charges: which path each opening chunk was dealt to, and the bytes still charged. Confined
     * to the transfer's event loop, like the transfer.
     */
    final class Charges {

        private final ChunkPlan plan;
        private final List<Object> paths;
        /** The path each opening chunk is dealt to, by chunk; empty when one path serves every chunk. */
        private final int[] owners;
        /** The opening chunks (or, served alone, the chunks) still charged to a path. */
        private final BitSet charged = new BitSet();
        /** The chunks after the opening handed to a path and not yet held by the client, and that path. */
        private final Map<Integer, Integer> later = new HashMap<>();

        private Charges(ChunkPlan plan, List<Object> paths, BitSet held) {
            this.plan = plan;
            this.paths = paths;
            int slots = paths.size();
            if (slots == 1) {
                owners = new int[0];
                for (int chunk = held.nextClearBit(0); chunk < plan.chunkCount(); chunk = held.nextClearBit(chunk + 1)) {
                    charge(chunk);
                }
                return;
            }
            owners = new int[Math.min(plan.chunkCount(), slots * ChunkStrategy.OPENING_CHUNKS_PER_PATH)];
            for (int chunk = 0; chunk < owners.length; chunk++) {
                if (held.get(chunk) || !ON) {
                    owners[chunk] = chunk % slots;
                } else {
                    owners[chunk] = shortestQueue(paths); // counting the chunks of this opening dealt so far
                    charge(chunk);
                }
            }
        }

        /**
         * The path each opening chunk goes to, by chunk ({@code slots} x {@value ChunkStrategy#OPENING_CHUNKS_PER_PATH}
         * at most); empty when the primary serves the whole transfer.
         */
        int[] openingOwners() {
            return owners.clone();
        }

        /**
         * {@code chunk} was handed to the path in {@code slot}: a chunk after the opening of a transfer with
         * secondaries is charged to the first path it is handed to (the opening was charged when dealt).
         */
        void handedOut(int slot, int chunk) {
            if (owners.length > 0 && chunk >= owners.length && ON && !later.containsKey(chunk)) {
                later.put(chunk, slot);
                add(paths.get(slot), plan.length(chunk));
            }
        }

        /** The client holds {@code chunk}: its path is charged for it no more. */
        void settled(int chunk) {
            if (charged.get(chunk)) {
                charged.clear(chunk);
                add(paths.get(owner(chunk)), -plan.length(chunk));
            }
            Integer slot = later.remove(chunk);
            if (slot != null) {
                add(paths.get(slot), -plan.length(chunk));
            }
        }

        /** The transfer ended: whatever it still charged is released. */
        void release() {
            for (int chunk = charged.nextSetBit(0); chunk >= 0; chunk = charged.nextSetBit(chunk + 1)) {
                settled(chunk);
            }
            for (int chunk : List.copyOf(later.keySet())) {
                settled(chunk);
            }
        }

        private void charge(int chunk) {
            charged.set(chunk);
            add(paths.get(owner(chunk)), plan.length(chunk));
        }

        private int owner(int chunk) {
            return owners.length == 0 ? 0 : owners[chunk];
        }
    }
}
