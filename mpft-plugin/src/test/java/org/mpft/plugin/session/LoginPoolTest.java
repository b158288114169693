package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoginPoolTest {

    @Test
    void aFullPoolSaysNoAtOnceInsteadOfQueueing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(2);
        AtomicInteger ran = new AtomicInteger();
        try (LoginPool pool = new LoginPool(2, 3, Executors.defaultThreadFactory())) {
            Runnable slowCheck = () -> {
                running.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.incrementAndGet();
            };
            assertThat(pool.offer(slowCheck)).isTrue();
            assertThat(pool.offer(slowCheck)).isTrue();
            assertThat(running.await(20, TimeUnit.SECONDS)).as("both threads busy").isTrue();
            for (int i = 0; i < 3; i++) {
                assertThat(pool.offer(slowCheck)).as("queued " + i).isTrue();
            }
            assertThat(pool.offer(slowCheck)).as("threads busy and queue full").isFalse();
            release.countDown();
            Poll.until(() -> ran.get() == 5);
            assertThat(pool.offer(ran::incrementAndGet)).as("room again").isTrue();
            Poll.until(() -> ran.get() == 6);
        }
    }

    /** Waits for a condition without a fixed sleep as synchronisation: yields until it holds (bounded by @Timeout). */
    private static final class Poll {
        static void until(java.util.function.BooleanSupplier condition) {
            while (!condition.getAsBoolean()) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }
}
