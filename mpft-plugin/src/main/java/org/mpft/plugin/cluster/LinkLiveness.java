package org.mpft.plugin.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The primary's liveness check of one cluster link, as logic over an injected clock and scheduler: every
 * {@link #period} it sends LINK_PING, and when the secondary sent nothing at all (no LINK_PONG, no other
 * frame) for the link timeout it declares the link silent, once, and stops. A secondary under load answers a
 * tiny ping long before that; a frozen, dead or cut-off one is noticed within the timeout plus one period.
 *
 * <p>A check that runs more than a period late means the primary's own event loop was held up (a GC pause, a
 * starved core): the frames the secondary sent meanwhile may still wait in the socket, so such a check does not
 * judge; the next one, on time, does. Not thread-safe: every call comes from the link's event loop.
 */
final class LinkLiveness {

    /** How many pings' send times are kept to time their answers (more than a timeout's worth: 4 + 1). */
    private static final int SENT_KEPT = 8;

    /** Runs a task later (the link's event loop). */
    @FunctionalInterface
    interface Scheduler {
        /** Runs {@code task} after {@code delayMillis}. */
        void schedule(Runnable task, long delayMillis);
    }

    /** What the check does to the link. */
    interface Peer {
        /** Send LINK_PING with this sequence. */
        void ping(long sequence);

        /** Nothing was heard for {@code silentMillis} (at least the timeout): the link is down. */
        void silent(long silentMillis);

        /**
         * A LINK_PONG came {@code roundTripMillis} after its ping, at least a period: the secondary (or the path)
         * is slow enough that the link came that close to being counted as down.
         */
        void slow(long roundTripMillis);
    }

    private final long timeoutNanos;
    private final long periodNanos;
    private final LongSupplier nanoClock;
    private final Scheduler scheduler;
    private final Peer peer;
    private long lastHeard;
    private long sequence;
    /** When the last {@link #SENT_KEPT} pings went, by sequence modulo that. */
    private final long[] sentAt = new long[SENT_KEPT];
    private boolean stopped;

    /**
     * @param timeout   the link timeout ({@code mpft.cluster.link-timeout})
     * @param nanoClock a monotonic clock, nanoseconds
     * @param scheduler runs the checks
     * @param peer      pings the secondary and takes the link down
     */
    LinkLiveness(Duration timeout, LongSupplier nanoClock, Scheduler scheduler, Peer peer) {
        this.timeoutNanos = timeout.toNanos();
        this.periodNanos = period(timeout).toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    /** How often a link with timeout {@code linkTimeout} is pinged: a quarter of it, at least 100 ms. */
    static Duration period(Duration linkTimeout) {
        return Duration.ofMillis(Math.max(100, linkTimeout.toMillis() / 4));
    }

    /** The link is up (the secondary was just heard): starts the checks. */
    void start() {
        lastHeard = nanoClock.getAsLong();
        schedule();
    }

    /** The secondary sent a frame (any kind). */
    void heard() {
        lastHeard = nanoClock.getAsLong();
    }

    /** The secondary answered the ping {@code pingSequence} (LINK_PONG); a late answer is reported to the peer. */
    void answered(long pingSequence) {
        heard();
        if (pingSequence >= 0 && pingSequence < sequence && sequence - pingSequence <= SENT_KEPT) {
            long roundTrip = lastHeard - sentAt[(int) (pingSequence % SENT_KEPT)];
            if (roundTrip >= periodNanos) {
                peer.slow(roundTrip / 1_000_000);
            }
        }
    }

    /** The link closed for another reason: no more pings, no verdict. */
    void stop() {
        stopped = true;
    }

    private void schedule() {
        long due = nanoClock.getAsLong() + periodNanos;
        scheduler.schedule(() -> check(due), periodNanos / 1_000_000);
    }

    private void check(long due) {
        if (stopped) {
            return;
        }
        long now = nanoClock.getAsLong();
        boolean onTime = now - due <= periodNanos;
        long silent = now - lastHeard;
        if (onTime && silent >= timeoutNanos) {
            stopped = true;
            peer.silent(silent / 1_000_000);
            return;
        }
        sentAt[(int) (sequence % SENT_KEPT)] = now;
        peer.ping(sequence++);
        schedule();
    }
}
