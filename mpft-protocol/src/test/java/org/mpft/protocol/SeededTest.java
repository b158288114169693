package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seeded property runner: edge values come first, failures name a seed that replays the same case. */
class SeededTest {

    @Test
    void edgeCasesDrawEveryBoundOfARange() {
        Set<Integer> ints = new HashSet<>();
        Set<Integer> sizes = new HashSet<>();
        Seeded.check(Seeded.edgeCases(300), sample -> {
            ints.add(sample.ints(3, 1000));
            sizes.add(sample.byteArray(0, 256).length);
        });
        assertThat(ints).contains(3, 4, 999, 1000).allMatch(i -> i >= 3 && i <= 1000);
        assertThat(sizes).contains(0, 1, 255, 256);
    }

    @Test
    void aFailureNamesItsSeedAndTheSeedReplaysTheSameValues() {
        List<String> drawn = new ArrayList<>();
        assertThatThrownBy(() -> Seeded.check(1000, sample -> {
            long value = sample.longs(0, 1_000_000);
            drawn.add(Long.toString(value));
            assertThat(value % 7).isNotEqualTo(3);
        })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("SeededTest#lambda")
                .hasMessageContaining("-Dmpft.seed=0x")
                .hasMessageContaining("drawn: [0,1000000]=" + drawn.get(drawn.size() - 1))
                .satisfies(e -> {
                    String seed = e.getMessage().replaceAll("(?s).*-Dmpft\\.seed=(0x[0-9a-f]+).*", "$1");
                    System.setProperty(Seeded.SEED_PROPERTY, seed);
                    try {
                        List<String> replayed = new ArrayList<>();
                        assertThatThrownBy(() -> Seeded.check(1000, sample -> {
                            replayed.add(Long.toString(sample.longs(0, 1_000_000)));
                            throw new AssertionError("again");
                        })).hasMessageContaining("(replayed)");
                        assertThat(replayed).containsExactly(drawn.get(drawn.size() - 1));
                    } finally {
                        System.clearProperty(Seeded.SEED_PROPERTY);
                    }
                });
    }

    @Test
    void discardedCasesDoNotCountAsTries() {
        int[] checked = {0};
        Seeded.check(100, sample -> {
            sample.assume(sample.booleans(), "true");
            checked[0]++;
        });
        assertThat(checked[0]).isEqualTo(100);
    }
}
