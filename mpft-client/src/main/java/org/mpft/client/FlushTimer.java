package org.mpft.client;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls a download's periodic state write ({@link ChunkManager}'s batched flush) in the background.
 */
@FunctionalInterface
interface FlushTimer {

    /** How often {@link #DAEMON} flushes, milliseconds. */
    long INTERVAL_MS = 250;

    /** A daemon thread per download that flushes every {@value #INTERVAL_MS} ms. */
    FlushTimer DAEMON = (name, flush) -> {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(flush, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return () -> {
            timer.shutdown(); // not shutdownNow: an interrupt would close the part file mid-write
            try {
                // a state write in progress finishes before the part file closes
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    };

    /**
     * Starts calling {@code flush} now and then.
     *
     * @param name  the download, for the thread's name
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
}
