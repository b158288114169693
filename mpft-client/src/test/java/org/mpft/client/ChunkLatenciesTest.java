package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkLatenciesTest {

    @Test
    void percentilesByNearestRank() {
        ChunkLatencies.Recorder r = new ChunkLatencies.Recorder();
        for (int i = 100; i >= 1; i--) {
            r.add(i * 1000L);
        }
        ChunkLatencies l = r.done();
        assertThat(l.count()).isEqualTo(100);
        assertThat(l.percentileNanos(50)).isEqualTo(50_000);
        assertThat(l.percentileNanos(99)).isEqualTo(99_000);
        assertThat(l.percentileNanos(100)).isEqualTo(100_000);
        assertThat(l.percentileNanos(0)).isEqualTo(1_000);
        assertThat(l.sortedNanos()).startsWith(1_000L, 2_000L).endsWith(100_000L);
        assertThatThrownBy(() -> l.percentileNanos(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyAndNegative() {
        assertThat(ChunkLatencies.NONE.count()).isZero();
        assertThat(ChunkLatencies.NONE.percentileNanos(99)).isZero();
        ChunkLatencies.Recorder r = new ChunkLatencies.Recorder();
        r.add(-5);
        assertThat(r.done().sortedNanos()).containsExactly(0L);
    }
}
