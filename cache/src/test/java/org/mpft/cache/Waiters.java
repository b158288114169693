package org.mpft.cache;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Test support: a load that must not finish before every other caller asked for the same key waits until
 * those callers are parked inside the cache's method (blocked or waiting with that method on their stack),
 * instead of sleeping and hoping they got there.
 */
final class Waiters {

    /** Only a bound for a failure: on an idle machine the callers get there within milliseconds. */
    private static final long PATIENCE_SECONDS = 120;

    private Waiters() {
    }

    /**
     * Waits until {@code count} threads besides the calling one are in {@code callers} and every one of them
     * is parked inside {@code method} of {@code type} or of a class implementing it.
     *
     * @throws AssertionError naming the threads' states when that does not happen within 120 s
     */
    static void awaitOthersParkedIn(Collection<Thread> callers, int count, Class<?> type, String method) {
        Thread self = Thread.currentThread();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (!othersParked(callers, count, self, type, method)) {
            if (System.nanoTime() - deadline > 0) {
                StringBuilder states = new StringBuilder();
                for (Thread t : Set.copyOf(callers)) {
                    states.append("\n  ").append(t.getName()).append(' ').append(t.getState());
                }
                throw new AssertionError(count + " callers not parked in " + type.getSimpleName() + "." + method
                        + " after " + PATIENCE_SECONDS + " s:" + states);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static boolean othersParked(Collection<Thread> callers, int count, Thread self, Class<?> type,
                                        String method) {
        int parked = 0;
        for (Thread t : Set.copyOf(callers)) {
            if (t == self) {
                continue;
            }
            Thread.State state = t.getState();
            if (state != Thread.State.BLOCKED && state != Thread.State.WAITING
                    && state != Thread.State.TIMED_WAITING) {
                return false;
            }
            boolean inside = false;
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getMethodName().equals(method) && isA(frame.getClassName(), type)) {
                    inside = true;
                    break;
                }
            }
            if (!inside) {
                return false;
            }
            parked++;
        }
        return parked >= count;
    }

    /** Whether the frame's class is {@code type} or implements it (the caches are interfaces). */
    private static boolean isA(String className, Class<?> type) {
        if (!className.startsWith(type.getPackageName() + ".")) {
            return false;
        }
        try {
            return type.isAssignableFrom(Class.forName(className, false, type.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
