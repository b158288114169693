package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BusyBackoffTest {

    @Test
    void delaysDoubleWithJitterUpToTheCap() {
        BusyBackoff low = new BusyBackoff(Duration.ofSeconds(600), () -> 0.0);
        BusyBackoff high = new BusyBackoff(Duration.ofSeconds(600), () -> 0.999999);
        long[] lows = new long[8];
        long[] highs = new long[8];
        for (int i = 0; i < 8; i++) {
            lows[i] = low.nextDelayMs(0);
            highs[i] = high.nextDelayMs(0);
        }
        assertThat(lows).containsExactly(250, 500, 1000, 2000, 4000, 4000, 4000, 4000);
        assertThat(highs).containsExactly(499, 999, 1999, 3999, 7999, 7999, 7999, 7999);
    }

    @Test
    void neverWaitsPastTheBudget() {
        Random random = new Random(5);
        BusyBackoff backoff = new BusyBackoff(Duration.ofSeconds(60), random::nextDouble);
        long elapsed = 0;
        long delay;
        while ((delay = backoff.nextDelayMs(elapsed)) >= 0) {
            assertThat(delay).isPositive();
            elapsed += delay;
            assertThat(elapsed).isLessThanOrEqualTo(60_000);
        }
        assertThat(elapsed).isEqualTo(60_000);
        assertThat(backoff.attempts()).isGreaterThan(5);
    }

    @Test
    void aZeroBudgetNeverRetries() {
        assertThat(new BusyBackoff(Duration.ZERO, () -> 0.5).nextDelayMs(0)).isEqualTo(-1);
    }
}
