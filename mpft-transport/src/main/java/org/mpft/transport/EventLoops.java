package org.mpft.transport;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Hands work to an event loop that may already be shutting down. Stateless. */
public final class EventLoops {

    private EventLoops() {
    }

    /**
     * Runs {@code task} on {@code loop} later, unless the loop no longer takes work (its connection or
     * group is shutting down).
     *
     * @return true when the task was queued; false when the loop refused it (the task will never run)
     */
    public static boolean tryExecute(Executor loop, Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
