package org.mpft.it;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Test support: waits for a condition by looking at it again every {@value #INTERVAL_MILLIS} ms. The
 * timeout only bounds a failure (a test that passes never waits for it), so it is generous; a test never
 * sleeps in the hope that something happened meanwhile.
 *
 * <pre>{@code
 * Poll.until("alice's download started", Duration.ofSeconds(60),
 *         () -> host.output().contains("alice downloads slow1.bin"), host::output);
 * }</pre>
 */
final class Poll {

    /** How long a test waits for something the machine does at once unless it is badly loaded: 120 s. */
    static final Duration PATIENCE = Duration.ofSeconds(120);

    /** Between two looks at the condition, ms. */
    static final long INTERVAL_MILLIS = 20;

    private Poll() {
    }

    /** A condition; it may give up early (a process it waits for has exited) with a TimeoutException. */
    @FunctionalInterface
    interface Check {
        /** Whether the condition holds now. */
        boolean holds() throws TimeoutException;
    }

    /** A value that may not be there yet. */
    @FunctionalInterface
    interface Probe<T> {
        /** The value, or null while it is not there. */
        T get() throws TimeoutException;
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param what    what is awaited, for the failure message
     * @param timeout when to give up
     * @param details what to add to the failure message (e.g. a process's output)
     * @throws TimeoutException when it does not hold within {@code timeout}
     */
    static void until(String what, Duration timeout, Check condition, Supplier<String> details)
            throws InterruptedException, TimeoutException {
        until(what, timeout, Duration.ofMillis(INTERVAL_MILLIS), condition, details);
    }

    /**
     * Waits until {@code condition} holds, looking every {@code interval} (for a condition that costs
     * something to look at, e.g. a login).
     */
    static void until(String what, Duration timeout, Duration interval, Check condition, Supplier<String> details)
            throws InterruptedException, TimeoutException {
        value(what, timeout, interval, () -> condition.holds() ? Boolean.TRUE : null, details);
    }

    /** Waits until {@code condition} holds (see {@link #until(String, Duration, Check, Supplier)}). */
    static void until(String what, Duration timeout, Check condition) throws InterruptedException, TimeoutException {
        until(what, timeout, condition, () -> "");
    }

    /**
     * Waits until {@code probe} gives a value and returns it.
     *
     * @throws TimeoutException when it gives none within {@code timeout}
     */
    static <T> T value(String what, Duration timeout, Probe<T> probe, Supplier<String> details)
            throws InterruptedException, TimeoutException {
        return value(what, timeout, Duration.ofMillis(INTERVAL_MILLIS), probe, details);
    }

    private static <T> T value(String what, Duration timeout, Duration interval, Probe<T> probe,
                               Supplier<String> details) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(what, "what");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                String more = details.get();
                throw new TimeoutException("no " + what + " after " + timeout + (more.isEmpty() ? "" : ":\n" + more));
            }
            Thread.sleep(interval.toMillis());
        }
    }
}
