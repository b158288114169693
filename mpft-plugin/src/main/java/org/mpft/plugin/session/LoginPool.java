package org.mpft.plugin.session;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that ask the host to check logins (password hashing, signature checks), apart from the pool
 * that reads chunks: a flood of logins cannot stall downloads. Bounded both ways: {@code threads} checks
 * at once and {@code queue} waiting; a login that finds it full is not queued ({@link #offer} says no) and
 * the client is told the server is busy at once. Thread-safe.
 */
public final class LoginPool implements AutoCloseable {

    private final ThreadPoolExecutor executor;

    /**
     * @param threads the most logins checked at once
     * @param queue   the most logins waiting for a thread
     * @param factory makes the pool's threads
     */
    public LoginPool(int threads, int queue, ThreadFactory factory) {
        if (threads < 1 || queue < 1) {
            throw new IllegalArgumentException("threads and queue must be positive");
        }
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), Objects.requireNonNull(factory, "factory"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code check} on a login thread when one is free or the queue has room.
     *
     * @return false when the pool is full or closed (nothing was run or queued)
     */
    public boolean offer(Runnable check) {
        try {
            executor.execute(check);
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    /** Stops the threads; queued checks are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
