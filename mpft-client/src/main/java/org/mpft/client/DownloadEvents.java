package org.mpft.client;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one queue through which every network event reaches a download's thread. A connection attempt that
 * is given up (a busy server) is {@link #abandonAttempt() abandoned}: whatever its connection still
 * reports is dropped, its chunk buffers released, so it cannot disturb the next attempt. Thread-safe.
 */
final class DownloadEvents {

    private final LinkedBlockingQueue<DownloadEvent> queue = new LinkedBlockingQueue<>();
    private volatile int generation;

    /** Queues an event (from any thread). */
    void add(DownloadEvent event) {
        queue.add(event);
    }

    /** Where the connection of the current attempt reports; dropped once the attempt is abandoned. */
    Consumer<DownloadEvent> attemptSink() {
        int attempt = generation;
        return event -> {
            if (attempt == generation) {
                queue.add(event);
                if (attempt != generation && queue.remove(event)) {
                    release(event); // the attempt ended while this event went in: nobody will take it
                }
            } else {
                release(event);
            }
        };
    }

    /**
     * The download has ended: what is queued is released, and so is whatever its connections still report
     * (a secondary's chunks in flight at the end), which would otherwise stay queued for nobody; in a batch of
     * thousands of files those buffers add up.
     */
    void close() {
        generation++;
        drain();
    }

    /** Drops the current attempt's events, queued and to come; a cancel is kept. */
    void abandonAttempt() {
        generation++;
        boolean cancelled = false;
        DownloadEvent event;
        while ((event = queue.poll()) != null) {
            cancelled |= event instanceof DownloadEvent.Cancelled;
            release(event);
        }
        if (cancelled) {
            queue.add(new DownloadEvent.Cancelled());
        }
    }

    /** The next event, or null after the timeout. */
    DownloadEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    /**
     * The next event, waiting at most {@code stall}; {@code idle} runs every {@code idleMillis} while nothing comes.
     *
     * @return the event, or null when nothing came for {@code stall}
     */
    DownloadEvent next(java.time.Duration stall, long idleMillis, Runnable idle) throws InterruptedException {
        long deadline = System.nanoTime() + stall.toNanos();
        while (true) {
            DownloadEvent event = queue.poll(idleMillis, TimeUnit.MILLISECONDS);
            if (event != null || System.nanoTime() - deadline > 0) {
                return event;
            }
            idle.run();
        }
    }

    /**
     * Waits {@code nanos}, dropping whatever arrives meanwhile (the attempt was abandoned).
     *
     * @return false when a cancel arrived (the wait ends then)
     */
    boolean pause(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            DownloadEvent event = queue.poll(left, TimeUnit.NANOSECONDS);
            if (event instanceof DownloadEvent.Cancelled) {
                return false;
            }
            if (event != null) {
                release(event);
            }
        }
        return true;
    }

    /** Releases the buffers of chunks that arrived after the end. */
    void drain() {
        DownloadEvent event;
        while ((event = queue.poll()) != null) {
            release(event);
        }
    }

    private static void release(DownloadEvent event) {
        if (event instanceof DownloadEvent.ChunkArrived chunk) {
            chunk.release();
        }
    }
}
