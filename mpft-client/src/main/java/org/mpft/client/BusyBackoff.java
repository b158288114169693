package org.mpft.client;

import java.io.IOException;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * When to try a busy server again: a server that answers LIMIT_EXCEEDED (its sessions are full) is asked
 * again after {@value #FIRST_MS} ms, doubling each time up to {@value #MAX_MS} ms, each delay with jitter
 * (a random half to all of it, so many clients refused at once do not come back at once), and never past
 * the caller's wait budget. Pure: the caller passes the time elapsed and a random source.
 */
final class BusyBackoff {

    /** The first delay before jitter, ms. */
    static final long FIRST_MS = 500;
    /** The longest delay before jitter, ms. */
    static final long MAX_MS = 8_000;

    private final long budgetMs;
    private final DoubleSupplier random;
    private int attempts;

    /**
     * @param budget how long to keep trying in all ({@link DownloadRequest#busyWait()}); zero = never
     * @param random uniform values in [0, 1)
     */
    BusyBackoff(Duration budget, DoubleSupplier random) {
        this.budgetMs = Math.max(0, budget.toMillis());
        this.random = random;
    }

    /**
     * The delay before the next attempt, or -1 when the budget is spent.
     *
     * @param elapsedMs time since the first attempt started, ms
     */
    long nextDelayMs(long elapsedMs) {
        long left = budgetMs - elapsedMs;
        if (left <= 0) {
            return -1;
        }
        long base = Math.min(MAX_MS, FIRST_MS << Math.min(attempts, 20));
        attempts++;
        long delay = base / 2 + (long) (random.getAsDouble() * (base - base / 2));
        return Math.max(1, Math.min(delay, left));
    }

    /** One attempt at the download. */
    @FunctionalInterface
    interface Attempt<T> {
        /** @return the result; throws LIMIT_EXCEEDED when the server is busy */
        T run() throws MpftException, InterruptedException, IOException;
    }

    /** Waits between attempts. */
    @FunctionalInterface
    interface Pause {
        /**
         * Waits {@code delayMs}, saying so to the user first.
         *
         * @throws MpftException to stop retrying (the download was cancelled meanwhile)
         */
        void waitFor(long delayMs) throws MpftException, InterruptedException;
    }

    /**
     * Runs {@code attempt} until it does not fail with LIMIT_EXCEEDED, or until the budget is spent (then the
     * last LIMIT_EXCEEDED is thrown as it came).
     *
     * @param retryable says whether a LIMIT_EXCEEDED may be retried (false once the transfer started)
     * @param clockMs   a millisecond clock
     */
    <T> T run(Attempt<T> attempt, java.util.function.BooleanSupplier retryable, Pause pause, LongSupplier clockMs)
            throws MpftException, InterruptedException, IOException {
        long start = clockMs.getAsLong();
        while (true) {
            try {
                return attempt.run();
            } catch (MpftException e) {
                if (e.code() != ErrorCode.LIMIT_EXCEEDED || !retryable.getAsBoolean()) {
                    throw e;
                }
                long delay = nextDelayMs(clockMs.getAsLong() - start);
                if (delay < 0) {
                    throw e;
                }
                pause.waitFor(delay);
            }
        }
    }

    /** Attempts refused so far. */
    int attempts() {
        return attempts;
    }
}
