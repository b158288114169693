package org.mpft.client;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls a download's periodic state write ({@link ChunkManager}'s batched flush) in the background.
 */
@FunctionalInterface
interface FlushTimer {

    /** How often {@link #DAEMON} flushes, milliseconds. */
    long INTERVAL_MS = 250;

    /**
     * Flushes every {@value #INTERVAL_MS} ms on two daemon threads that every download of the JVM shares (a batch
     * runs thousands of downloads: a thread each would cost more than most of their flushes).
     */
    FlushTimer DAEMON = (name, flush) -> {
        Object running = new Object();
        boolean[] stopped = {false};
        ScheduledFuture<?> calls = Shared.EXECUTOR.scheduleWithFixedDelay(() -> {
            synchronized (running) {
                if (!stopped[0]) {
                    flush.run();
                }
            }
        }, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return () -> {
            calls.cancel(false); // not an interrupt: that would close the part file mid-write
            synchronized (running) {
                stopped[0] = true; // a state write in progress has finished; none starts any more
            }
        };
    };

    /**
     * Starts calling {@code flush} now and then.
     *
     * @param name  the download, for diagnostics
     * @param flush the state write (it catches its own failures)
     * @return stops the calls and waits for one in progress to end
     */
    Stop start(String name, Runnable flush);

    /** Stops a timer. */
    @FunctionalInterface
    interface Stop {
        /** Stops the calls; returns once no call is running. */
        void stop();
    }

    /** The threads {@link #DAEMON} shares, made on first use. */
    final class Shared {
        static final ScheduledThreadPoolExecutor EXECUTOR = executor();

        private Shared() {
        }

        private static ScheduledThreadPoolExecutor executor() {
            AtomicInteger count = new AtomicInteger();
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
                Thread t = new Thread(r, "mpft-state-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true); // a finished download's timer is not kept until it would fire
            return executor;
        }
    }
}
