package org.mpft.plugin.send;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The instance-wide cap on chunk bytes sent ({@code mpft.max-send-rate}), shared by every connection
 * and every transfer of the instance: a token bucket filled at {@link #bytesPerSecond()} that holds at
 * most {@link #burstBytes()}. Senders take bytes in slices (e.g. 64 KiB) so the pace stays smooth.
 * A rate of 0 means unlimited: {@link #reserve} always answers 0. Thread-safe.
 *
 * <p>An admin feature (keep mpft from filling an uplink that others share), and the way tests make two
 * loopback paths unequal without root.
 */
public final class SendRateLimiter {

    /** No cap. */
    public static final SendRateLimiter UNLIMITED = new SendRateLimiter(0, System::nanoTime);

    /** The bucket holds at most this much time's worth of bytes: 50 ms. */
    static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** ... but never less than this many bytes (one slice of a chunk always fits). */
    static final long MIN_BURST_BYTES = 256 * 1024;

    private final long bytesPerSecond;
    private final long burstNanos;
    private final LongSupplier nanoClock;
    /** The instant at which every byte reserved so far has been paid for; the bucket is empty then. */
    private long paidUntil;

    /**
     * @param bytesPerSecond the cap, bytes per second; 0 for none
     * @param nanoClock      a monotonic clock in nanoseconds ({@link System#nanoTime} outside tests)
     */
    public SendRateLimiter(long bytesPerSecond, LongSupplier nanoClock) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond < 0: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.burstNanos = bytesPerSecond == 0 ? 0
                : Math.max(BURST_NANOS, nanosFor(MIN_BURST_BYTES, bytesPerSecond));
        this.paidUntil = nanoClock.getAsLong() - burstNanos;
    }

    /** The cap in bytes per second, 0 when unlimited. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** True when there is a cap. */
    public boolean limited() {
        return bytesPerSecond > 0;
    }

    /** The most bytes sent at once after an idle period. */
    long burstBytes() {
        return bytesPerSecond == 0 ? Long.MAX_VALUE : bytesPerSecond * burstNanos / 1_000_000_000L;
    }

    /**
     * Takes {@code bytes} from the bucket and says how long the caller must wait before sending them.
     * The reservation holds whether or not the caller waits, so callers that schedule instead of
     * sleeping (an event loop) keep the pace too.
     *
     * @param bytes the bytes about to be sent (>= 0)
     * @return nanoseconds to wait, 0 to send now
     */
    long reserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes < 0: " + bytes);
        }
        if (bytesPerSecond == 0 || bytes == 0) {
            return 0;
        }
        long cost = nanosFor(bytes, bytesPerSecond);
        synchronized (this) {
            long now = nanoClock.getAsLong();
            // idle credit is capped at the burst: an hour of silence does not buy an hour of full speed
            long start = Math.max(paidUntil, now - burstNanos);
            paidUntil = start + cost;
            // the bytes may go once every byte reserved so far is covered by credit earned up to now
            return Math.max(0, paidUntil - now);
        }
    }

    /**
     * Reserves {@code bytes} and sleeps until they may be sent.
     *
     * @throws InterruptedException when interrupted while waiting (the reservation stays taken)
     */
    void acquire(long bytes) throws InterruptedException {
        long wait = reserve(bytes);
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static long nanosFor(long bytes, long bytesPerSecond) {
        // bytes <= 2^31 and a rate >= 1: bytes * 1e9 stays below 2^63
        return Math.multiplyExact(bytes, 1_000_000_000L) / bytesPerSecond;
    }

    @Override
    public String toString() {
        return bytesPerSecond == 0 ? "SendRateLimiter[unlimited]" : "SendRateLimiter[" + bytesPerSecond + " B/s]";
    }
}
