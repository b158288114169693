package org.mpft.plugin.primary;

import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.BitSet;
import org.mpft.plugin.schedule.ChunkStrategy;
import org.mpft.protocol.ChunkPlan;

/**
 * Evens out the bytes the paths of one client connection carry. A file of one chunk has one path, the primary,
 * even when secondaries serve the connection's other files: over a tree of small and bigger files the primary
 * would carry those bytes on top of its share, and the secondaries would go idle before it. The bytes it served
 * so are owed to the secondaries; each later {@code adaptive} transfer with secondaries pays them back by dealing
 * the primary's opening chunks to the secondaries while the debt covers them, as long as the secondaries deliver
 * at least half as fast as the primary in the connection's finished transfers (a slower secondary already has
 * more than its share). Thread-safe.
 */
final class PathBalance {

    /** The most owed at once: a long run of small files is evened out over about as many bigger bytes. */
    static final long MAX_OWED = 64L << 20;

    private static final AttributeKey<PathBalance> KEY = AttributeKey.valueOf(PathBalance.class.getName());

    /** {@code -Dmpft.path-balance=off} in the host's JVM turns the balance off (for measurements). */
    private static final boolean ON = !"off".equals(System.getProperty("mpft.path-balance"));

    /**
     * The secondaries keep up when their rate is at least this share of the primary's. Per transfer a rate
     * includes the queue of its path: on equal paths the smoothed ratio stays at 0.6-2.4, on a secondary with a
     * third of the primary's capacity at 0.03-0.1.
     */
    static final double KEEPING_UP = 0.5;

    /** The weight of a finished transfer in {@link #secondariesToPrimary}. */
    private static final double WEIGHT = 0.2;

    private long owed;
    /** The secondaries' mean rate over the primary's in finished transfers, smoothed; 0 before the first. */
    private double secondariesToPrimary;

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
     * The primary served {@code bytes} alone while secondaries serve this connection's other files: it carried
     * them on top of its share of {@code paths} paths, and handing {@code bytes x (paths - 1) / paths} of its
     * later bytes to the others evens that out.
     */
    synchronized void servedAlone(long bytes, int paths) {
        if (paths < 2 || bytes <= 0) {
            return;
        }
        owed = Math.min(MAX_OWED, owed + bytes / paths * (paths - 1));
    }

    /**
     * A transfer with secondaries finished: each path's delivery rate while busy, the primary's first (0 for a
     * path that delivered nothing, which says nothing).
     */
    synchronized void finished(double[] rates) {
        double secondaries = 0;
        int measured = 0;
        for (int slot = 1; slot < rates.length; slot++) {
            if (rates[slot] > 0) {
                secondaries += rates[slot];
                measured++;
            }
        }
        if (rates.length < 2 || rates[0] <= 0 || measured == 0) {
            return;
        }
        double ratio = secondaries / measured / rates[0];
        secondariesToPrimary = secondariesToPrimary == 0 ? ratio
                : (1 - WEIGHT) * secondariesToPrimary + WEIGHT * ratio;
    }

    /** The bytes owed to the secondaries now. */
    synchronized long owed() {
        return owed;
    }

    /**
     * How many of the primary's opening chunks an {@code adaptive} transfer of {@code plan} on {@code paths}
     * paths deals to the secondaries instead: the first ones, each while the debt still covers its length
     * (a chunk the client already holds costs nothing); none while the secondaries measured slower.
     */
    synchronized int giveAway(ChunkPlan plan, int paths, BitSet held) {
        boolean keepUp = secondariesToPrimary == 0 || secondariesToPrimary >= KEEPING_UP;
        if (paths < 2 || !keepUp || !ON) {
            return 0;
        }
        int given = 0;
        for (int round = 0; round < ChunkStrategy.OPENING_CHUNKS_PER_PATH; round++) {
            int chunk = round * paths;
            if (chunk >= plan.chunkCount()) {
                break;
            }
            long length = held.get(chunk) ? 0 : plan.length(chunk);
            if (length > owed) {
                break;
            }
            owed -= length;
            given++;
        }
        return given;
    }
}
