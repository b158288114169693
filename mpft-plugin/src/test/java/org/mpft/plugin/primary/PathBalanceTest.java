package org.mpft.plugin.primary;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ChunkPlan;

class PathBalanceTest {

    private static final int KIB = 1024;

    @Test
    void theBytesThePrimaryServedAloneArePaidBackWithItsOpeningChunks() {
        PathBalance balance = new PathBalance();
        ChunkPlan twoShares = new ChunkPlan(600 * KIB, 300 * KIB); // one chunk per path
        assertThat(balance.giveAway(twoShares, 2, new BitSet())).as("nothing owed").isZero();

        balance.servedAlone(400 * KIB, 2);
        assertThat(balance.giveAway(twoShares, 2, new BitSet())).as("less than a chunk owed").isZero();
        assertThat(balance.owed()).isEqualTo(200 * KIB);

        balance.servedAlone(300 * KIB, 2);
        assertThat(balance.giveAway(twoShares, 2, new BitSet())).isEqualTo(1);
        assertThat(balance.owed()).isEqualTo(50 * KIB);
        balance.servedAlone(-5, 2);
        assertThat(balance.owed()).isEqualTo(50 * KIB);
    }

    @Test
    void atMostThePrimarysOpeningChunksAreGivenAndAHeldOneCostsNothing() {
        PathBalance balance = new PathBalance();
        balance.servedAlone(15L << 20, 3); // two thirds are owed to the two secondaries
        ChunkPlan plan = new ChunkPlan(20L << 20, 1 << 20); // primary's opening: chunks 0 and 2 of 2 paths
        BitSet held = new BitSet();
        held.set(0);
        assertThat(balance.giveAway(plan, 2, held)).isEqualTo(2);
        assertThat(balance.owed()).isEqualTo(9L << 20);
        assertThat(balance.giveAway(plan, 1, new BitSet())).as("no secondary").isZero();
        assertThat(balance.owed()).isEqualTo(9L << 20);
    }

    @Test
    void nothingIsGivenToSecondariesThatDeliverSlowerThanThePrimary() {
        PathBalance balance = new PathBalance();
        balance.servedAlone(20L << 20, 2);
        ChunkPlan plan = new ChunkPlan(2L << 20, 1 << 20);
        balance.finished(new double[] {30e6, 0}); // the secondary delivered nothing: no measure
        balance.finished(new double[] {0, 30e6}); // nor the primary
        assertThat(balance.giveAway(plan, 2, new BitSet())).as("nothing measured: the paths count as equal")
                .isEqualTo(1);
        balance.finished(new double[] {30e6, 3e6});
        assertThat(balance.giveAway(plan, 2, new BitSet())).as("a tenth of the primary's rate").isZero();
        for (int i = 0; i < 20; i++) {
            balance.finished(new double[] {30e6, 28e6, 29e6});
        }
        assertThat(balance.giveAway(plan, 3, new BitSet())).as("keeping up again").isEqualTo(1);
        assertThat(balance.owed()).isEqualTo(8L << 20);
    }

    @Test
    void theDebtIsBoundedAndKeptPerConnection() {
        EmbeddedChannel one = new EmbeddedChannel();
        EmbeddedChannel other = new EmbeddedChannel();
        PathBalance.of(one).servedAlone(Long.MAX_VALUE / 2, 2);
        PathBalance.of(one).servedAlone(Long.MAX_VALUE / 2, 2);
        PathBalance.of(other).servedAlone(1 << 20, 1);
        assertThat(PathBalance.of(one).owed()).isEqualTo(PathBalance.MAX_OWED);
        assertThat(PathBalance.of(one)).isSameAs(PathBalance.of(one));
        assertThat(PathBalance.of(other).owed()).as("one path: nothing to even out").isZero();
        one.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }
}
