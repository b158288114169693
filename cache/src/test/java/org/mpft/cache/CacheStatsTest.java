package org.mpft.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CacheStatsTest {

    @Test
    void hitRateIsZeroWithoutRequests() {
        assertThat(CacheStats.EMPTY.hitRate()).isZero();
        assertThat(CacheStats.EMPTY.requests()).isZero();
    }

    @Test
    void hitRateIsHitsOverRequests() {
        CacheStats stats = new CacheStats(3, 1, 0, 0, 0, 0);
        assertThat(stats.requests()).isEqualTo(4);
        assertThat(stats.hitRate()).isEqualTo(0.75);
    }

    @Test
    void rejectsNegativeCounters() {
        assertThatThrownBy(() -> new CacheStats(0, -1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
