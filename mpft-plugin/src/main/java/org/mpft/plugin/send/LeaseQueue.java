package org.mpft.plugin.send;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Chunk sends of one client that wait for bytes of its connection's {@link SendBudget}, in the order they
 * were asked for: each starts (its read, then its stream) once its lease is taken; while the budget is spent
 * nothing starts, and the budget's wake-up resumes the queue (no polling). Used where chunks are asked for
 * from outside the client's window (a secondary serves what its primary assigns and what the client asks
 * again). Thread-safe.
 */
public final class LeaseQueue {

    /** What starts once the lease is taken; it owns the lease from then on. */
    @FunctionalInterface
    public interface Start {
        /** Starts the send (its read, then its stream); {@code lease} is its to give back. */
        void start(SendBudget.Lease lease);
    }

    private record Waiting(int bytes, Start start) {
    }

    private final SendBudget.Connection budget;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private boolean awaitingBudget;
    private boolean closed;

    /** @param budget the budget of the client's connection */
    public LeaseQueue(SendBudget.Connection budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** Starts {@code start} with a lease of {@code bytes} now, or once the budget has them (after the earlier ones). */
    public void submit(int bytes, Start start) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(new Waiting(bytes, start));
        }
        drain();
    }

    /** Sends that wait for budget now. */
    public synchronized int waiting() {
        return queue.size();
    }

    /** Drops the waiting sends (they never took bytes) and takes no more. */
    public synchronized void close() {
        closed = true;
        queue.clear();
    }

    private void drain() {
        while (true) {
            Waiting next;
            SendBudget.Lease lease;
            synchronized (this) {
                if (closed || awaitingBudget || queue.isEmpty()) {
                    return;
                }
                next = queue.peek();
                lease = budget.tryTake(next.bytes(), this::budgetFreed);
                if (lease == null) {
                    awaitingBudget = true;
                    return;
                }
                queue.poll();
            }
            next.start().start(lease);
        }
    }

    private void budgetFreed() {
        synchronized (this) {
            awaitingBudget = false;
        }
        drain();
    }
}
