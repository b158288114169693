package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The state-write timer every download shares: stopping it waits for a write in progress, threads are shared. */
class FlushTimerTest {

    @Test
    void stopWaitsForTheFlushInProgressAndNoFlushRunsAfterIt() throws Exception {
        CountDownLatch inFlush = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger afterStop = new AtomicInteger();
        AtomicReference<Boolean> stopped = new AtomicReference<>(false);
        FlushTimer.Stop stop = FlushTimer.DAEMON.start("a", () -> {
            if (stopped.get()) {
                afterStop.incrementAndGet();
            }
            inFlush.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        inFlush.await();
        Thread stopping = new Thread(() -> {
            stop.stop();
            stopped.set(true);
        });
        stopping.start();
        // the stopping thread waits for the running flush (blocked on its lock), it does not return past it
        while (stopping.getState() != Thread.State.BLOCKED) {
            Thread.onSpinWait();
        }
        assertThat(stopped.get()).isFalse();
        release.countDown();
        stopping.join();
        assertThat(stopped.get()).isTrue();
        assertThat(afterStop.get()).as("flushes that began after stop returned").isZero();
    }

    @Test
    void downloadsShareTheTimersThreads() throws Exception {
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<String> second = new AtomicReference<>();
        CountDownLatch both = new CountDownLatch(2);
        FlushTimer.Stop a = FlushTimer.DAEMON.start("a", () -> {
            if (first.compareAndSet(null, Thread.currentThread().getName())) {
                both.countDown();
            }
        });
        FlushTimer.Stop b = FlushTimer.DAEMON.start("b", () -> {
            if (second.compareAndSet(null, Thread.currentThread().getName())) {
                both.countDown();
            }
        });
        both.await();
        a.stop();
        b.stop();
        assertThat(first.get()).startsWith("mpft-state-");
        assertThat(second.get()).startsWith("mpft-state-");
        assertThat(FlushTimer.Shared.EXECUTOR.getPoolSize()).isLessThanOrEqualTo(2);
    }
}
