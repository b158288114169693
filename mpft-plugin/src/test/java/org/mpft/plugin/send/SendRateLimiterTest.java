package org.mpft.plugin.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendRateLimiterTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

    @Test
    void unlimitedNeverWaits() {
        SendRateLimiter limiter = new SendRateLimiter(0, clock::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.reserve(64 << 20)).isZero();
        }
        assertThat(limiter.limited()).isFalse();
    }

    @Test
    void sustainedSendingKeepsTheRate() {
        long rate = 40L << 20; // 40 MiB/s
        SendRateLimiter limiter = new SendRateLimiter(rate, clock::get);
        long start = clock.get();
        long sent = 0;
        // a sender that sleeps exactly as told, slice by slice, for 400 MiB
        while (sent < 400L << 20) {
            clock.addAndGet(limiter.reserve(64 * 1024));
            sent += 64 * 1024;
        }
        double seconds = (clock.get() - start) / 1e9;
        // 400 MiB at 40 MiB/s: 10 s, less the initial burst (at most 256 KiB-or-50 ms worth)
        assertThat(seconds).isBetween(9.9, 10.0);
    }

    @Test
    void idleTimeBuysOnlyABurst() {
        long rate = 10_000_000; // 10 MB/s: burst is max(50 ms = 500 kB, 256 KiB) = 500 kB
        SendRateLimiter limiter = new SendRateLimiter(rate, clock::get);
        assertThat(limiter.burstBytes()).isEqualTo(500_000);
        clock.addAndGet(3_600_000_000_000L); // an hour of silence
        assertThat(limiter.reserve(500_000)).isZero();
        // the next 1 MB waits its full cost: 100 ms
        assertThat(limiter.reserve(1_000_000)).isEqualTo(100_000_000L);
    }

    @Test
    void concurrentSendersShareOneBudget() throws Exception {
        long rate = 1_000_000; // 1 MB/s, burst 262144 bytes
        SendRateLimiter limiter = new SendRateLimiter(rate, clock::get);
        // two connections reserve alternately without the clock moving: waits add up for both together
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = limiter.reserve(100_000);
        }
        // 1 MB reserved at once, 262144 bytes of credit: the last slice may go after 0.737856 s
        assertThat(last).isEqualTo(737_856_000L);
    }

    @Test
    void largeRequestWaitsForTheExcessOverTheBurst() {
        SendRateLimiter limiter = new SendRateLimiter(20L << 20, clock::get);
        long wait = limiter.reserve(4L << 20); // 4 MiB at 20 MiB/s = 200 ms, 1 MiB of burst (50 ms)
        assertThat(wait).isEqualTo(150_000_000L);
    }
}
