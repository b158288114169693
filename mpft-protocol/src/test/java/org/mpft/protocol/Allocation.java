package org.mpft.protocol;

import java.lang.management.ManagementFactory;

/**
 * Measures the heap bytes the current thread allocates while it runs a piece of code (HotSpot's
 * per-thread allocation counter), so a test can bound what a decoder allocates for hostile input.
 */
final class Allocation {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Code under measurement; may throw anything. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private Allocation() {
    }

    /** Whether the JVM counts per-thread allocations (HotSpot does). */
    static boolean supported() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /**
     * Runs {@code body} twice and returns the bytes its second run allocated on this thread (the first
     * run loads and initialises classes, which is not the decoder's doing). The body must be repeatable.
     * An exception from the body is swallowed (the caller checks outcomes separately); an {@link Error},
     * such as a failed assertion inside the body, is not.
     */
    static long of(Body body) {
        once(body);
        return once(body);
    }

    private static long once(Body body) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        try {
            body.run();
        } catch (Exception ignored) {
            // outcome checked by the caller
        }
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}
