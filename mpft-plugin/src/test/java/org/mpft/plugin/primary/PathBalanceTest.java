package org.mpft.plugin.primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ChunkPlan;

class PathBalanceTest {

    private static final int KIB = 1024;
    private static final Object SECONDARY = "s1";
    private static final Object OTHER = "s2";

    @Test
    void onIdlePathsTheOpeningIsDealtInTurn() {
        PathBalance balance = new PathBalance();
        ChunkPlan plan = new ChunkPlan(20L << 20, 1 << 20);
        PathBalance.Charges charges = balance.deal(plan, List.of(PathBalance.PRIMARY, SECONDARY), new BitSet());
        assertThat(charges.openingOwners()).containsExactly(0, 1, 0, 1);
        assertThat(balance.queued(PathBalance.PRIMARY)).isEqualTo(2L << 20);
        assertThat(balance.queued(SECONDARY)).isEqualTo(2L << 20);

        PathBalance three = new PathBalance();
        assertThat(three.deal(plan, List.of(PathBalance.PRIMARY, SECONDARY, OTHER), new BitSet()).openingOwners())
                .containsExactly(0, 1, 2, 0, 1, 2);
    }

    @Test
    void whatThePrimaryServesAloneIsMadeUpByTheNextOpenings() {
        PathBalance balance = new PathBalance();
        PathBalance.Charges alone = balance.deal(new ChunkPlan(900 * KIB, 1 << 20), List.of(PathBalance.PRIMARY),
                new BitSet());
        assertThat(alone.openingOwners()).as("one path serves every chunk").isEmpty();
        assertThat(balance.queued(PathBalance.PRIMARY)).isEqualTo(900 * KIB);

        ChunkPlan twoShares = new ChunkPlan(600 * KIB, 300 * KIB);
        PathBalance.Charges next = balance.deal(twoShares, List.of(PathBalance.PRIMARY, SECONDARY), new BitSet());
        assertThat(next.openingOwners()).as("the primary's queue is the longer one").containsExactly(1, 1);
        assertThat(balance.queued(SECONDARY)).isEqualTo(600 * KIB);

        alone.settled(0);
        assertThat(balance.queued(PathBalance.PRIMARY)).isZero();
        assertThat(balance.deal(twoShares, List.of(PathBalance.PRIMARY, SECONDARY), new BitSet()).openingOwners())
                .containsExactly(0, 0);
        next.settled(0);
        next.settled(0);
        assertThat(balance.queued(SECONDARY)).as("a chunk is settled once").isEqualTo(300 * KIB);
        next.release();
        assertThat(balance.queued(SECONDARY)).isZero();
    }

    @Test
    void aChunkAfterTheOpeningIsChargedToThePathItIsHandedTo() {
        PathBalance balance = new PathBalance();
        ChunkPlan plan = new ChunkPlan(8L << 20, 1 << 20);
        PathBalance.Charges charges = balance.deal(plan, List.of(PathBalance.PRIMARY, SECONDARY), new BitSet());
        assertThat(balance.queued(SECONDARY)).as("the opening: chunks 1 and 3").isEqualTo(2L << 20);
        charges.handedOut(1, 5);
        charges.handedOut(0, 5); // an endgame copy: charged once, to the first
        charges.handedOut(1, 3); // an opening chunk: charged when dealt
        assertThat(balance.queued(SECONDARY)).isEqualTo(3L << 20);
        assertThat(balance.queued(PathBalance.PRIMARY)).isEqualTo(2L << 20);
        charges.settled(5);
        assertThat(balance.queued(SECONDARY)).isEqualTo(2L << 20);
        charges.handedOut(0, 6);
        charges.handedOut(1, 7);
        charges.release();
        assertThat(balance.queued(PathBalance.PRIMARY)).isZero();
        assertThat(balance.queued(SECONDARY)).isZero();

        PathBalance.Charges alone = balance.deal(plan, List.of(PathBalance.PRIMARY), new BitSet());
        alone.handedOut(0, 5);
        assertThat(balance.queued(PathBalance.PRIMARY)).as("alone: the whole file, once").isEqualTo(8L << 20);
    }

    @Test
    void chunksTheClientHoldsAreNotCharged() {
        PathBalance balance = new PathBalance();
        ChunkPlan plan = new ChunkPlan(4L << 20, 1 << 20);
        BitSet held = new BitSet();
        held.set(0);
        held.set(2);
        PathBalance.Charges charges = balance.deal(plan, List.of(PathBalance.PRIMARY, SECONDARY), held);
        assertThat(charges.openingOwners()).containsExactly(0, 0, 0, 1);
        assertThat(balance.queued(PathBalance.PRIMARY)).isEqualTo(1L << 20);
        assertThat(balance.queued(SECONDARY)).isEqualTo(1L << 20);
        charges.release();
        assertThat(balance.queued(PathBalance.PRIMARY)).isZero();
        assertThat(balance.queued(SECONDARY)).isZero();

        balance.deal(plan, List.of(PathBalance.PRIMARY), held);
        assertThat(balance.queued(PathBalance.PRIMARY)).as("alone: the chunks it does not hold").isEqualTo(2L << 20);
        assertThatThrownBy(() -> balance.deal(plan, List.of(SECONDARY), held))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A tree of two-chunk files on a primary three times as fast as its secondary, 16 files in flight: each
     * path delivers its oldest chunk at its own pace (3 and 1 KiB per step), and a new file starts when one
     * ends. Dealt to the shorter queue, the paths carry the bytes about 3 : 1, and neither waits for the other.
     */
    @Test
    void overATreeEachPathCarriesItsShareOfUnequalSpeeds() {
        PathBalance balance = new PathBalance();
        List<Object> paths = List.of(PathBalance.PRIMARY, SECONDARY);
        ChunkPlan plan = new ChunkPlan(96 * KIB, 48 * KIB);
        int[] rates = {3 * KIB, KIB};
        List<Deque<int[]>> queues = List.of(new ArrayDeque<>(), new ArrayDeque<>());
        List<PathBalance.Charges> files = new ArrayList<>();
        long[] carried = new long[2];
        long[] idleSteps = new long[2];
        List<int[]> chunksLeft = new ArrayList<>();
        int done = 0;
        for (int step = 0; step < 100_000 && done < 1_000; step++) {
            while (files.size() - done < 16 && files.size() < 1_000) {
                PathBalance.Charges charges = balance.deal(plan, paths, new BitSet());
                int file = files.size();
                files.add(charges);
                chunksLeft.add(new int[] {2});
                int[] owners = charges.openingOwners();
                for (int chunk = 0; chunk < 2; chunk++) {
                    queues.get(owners[chunk]).add(new int[] {file, chunk, plan.length(chunk)});
                }
            }
            for (int slot = 0; slot < 2; slot++) {
                Deque<int[]> queue = queues.get(slot);
                if (queue.isEmpty()) {
                    if (files.size() < 1_000) {
                        idleSteps[slot]++;
                    }
                    continue;
                }
                int[] head = queue.peek();
                int sent = Math.min(rates[slot], head[2]);
                head[2] -= sent;
                carried[slot] += sent;
                if (head[2] == 0) {
                    queue.poll();
                    files.get(head[0]).settled(head[1]);
                    if (--chunksLeft.get(head[0])[0] == 0) {
                        done++;
                    }
                }
            }
        }
        assertThat(done).isEqualTo(1_000);
        double share = (double) carried[0] / (carried[0] + carried[1]);
        assertThat(share).as("the primary's share of the bytes").isBetween(0.72, 0.78);
        assertThat(idleSteps).as("no path waited while files were left to start").containsOnly(0L);
        assertThat(balance.queued(PathBalance.PRIMARY)).isZero();
        assertThat(balance.queued(SECONDARY)).isZero();
    }

    @Test
    void theBalanceIsKeptPerConnection() {
        EmbeddedChannel one = new EmbeddedChannel();
        EmbeddedChannel other = new EmbeddedChannel();
        PathBalance.of(one).deal(new ChunkPlan(1 << 20, 1 << 20), List.of(PathBalance.PRIMARY), new BitSet());
        assertThat(PathBalance.of(one)).isSameAs(PathBalance.of(one));
        assertThat(PathBalance.of(one).queued(PathBalance.PRIMARY)).isEqualTo(1 << 20);
        assertThat(PathBalance.of(other).queued(PathBalance.PRIMARY)).isZero();
        one.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }
}
