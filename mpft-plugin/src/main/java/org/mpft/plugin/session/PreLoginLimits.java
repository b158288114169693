package org.mpft.plugin.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The budget of connections that have not logged in yet: at most {@code maxTotal} in all and
 * {@code maxPerSource} per source (an IPv4 address, an IPv6 /64), each given {@code loginTimeout} to log in.
 * A connection is admitted when it is made and releases its place when it logs in (then it counts against
 * the session limits instead) or closes; handshaken connections that never speak cannot fill the places
 * logged-in users need. A connection over the budget is not dropped unanswered: up to {@code maxTotal} of
 * them at once get a {@link #admitRefused() refused place}, under the same deadline, so that the server can
 * answer their HELLO with LIMIT_EXCEEDED (busy: a client waits and tries again) instead of leaving the
 * client without an answer. Pure policy with the clock passed in; thread-safe.
 */
public final class PreLoginLimits {

    private final int maxTotal;
    private final int maxPerSource;
    private final Duration loginTimeout;
    private final LongSupplier nanoClock;
    private final Map<Object, Integer> bySource = new HashMap<>();
    private int total;
    private int refused;

    /**
     * @param maxTotal     the most connections not logged in, in all ({@code mpft.max-unauthenticated})
     * @param maxPerSource the most of them from one source ({@code mpft.max-unauthenticated-per-source})
     * @param loginTimeout how long a connection has to log in ({@code mpft.login-timeout})
     * @param nanoClock    a monotonic clock in nanoseconds (e.g. {@code System::nanoTime})
     */
    public PreLoginLimits(int maxTotal, int maxPerSource, Duration loginTimeout, LongSupplier nanoClock) {
        if (maxTotal < 1 || maxPerSource < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (loginTimeout.isNegative() || loginTimeout.isZero()) {
            throw new IllegalArgumentException("login timeout must be positive");
        }
        this.maxTotal = maxTotal;
        this.maxPerSource = maxPerSource;
        this.loginTimeout = loginTimeout;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Admits a new connection from {@code source} (null when it has no IP address: counted in all only).
     *
     * @return its place, or null when the budget in all or of its source is used up (nothing counted)
     */
    public Admission admit(InetAddress source) {
        Object key = source == null ? null : sourceKey(source);
        synchronized (this) {
            if (total >= maxTotal) {
                return null;
            }
            if (key != null) {
                int now = bySource.getOrDefault(key, 0);
                if (now >= maxPerSource) {
                    return null;
                }
                bySource.put(key, now + 1);
            }
            total++;
        }
        return new Admission(key, false, nanoClock.getAsLong() + loginTimeout.toNanos());
    }

    /**
     * A place for a connection over the budget, to be told it is refused (it may not log in); it counts
     * only against the places of refused connections ({@code maxTotal} of them).
     *
     * @return its place ({@link Admission#refused()} is true), or null when as many refused connections
     *         are waiting already (the caller closes the connection at once)
     */
    public Admission admitRefused() {
        synchronized (this) {
            if (refused >= maxTotal) {
                return null;
            }
            refused++;
        }
        return new Admission(null, true, nanoClock.getAsLong() + loginTimeout.toNanos());
    }

    /** Refused connections waiting for their answer. */
    public synchronized int refused() {
        return refused;
    }

    /** Connections admitted and not yet released, in all. */
    public synchronized int total() {
        return total;
    }

    /** Connections admitted and not yet released from the source (or /64) of {@code source}. */
    public synchronized int from(InetAddress source) {
        return bySource.getOrDefault(sourceKey(source), 0);
    }

    /** The most connections not logged in, in all. */
    public int maxTotal() {
        return maxTotal;
    }

    /** The most connections not logged in from one source. */
    public int maxPerSource() {
        return maxPerSource;
    }

    /** How long a connection has to log in. */
    public Duration loginTimeout() {
        return loginTimeout;
    }

    /**
     * What one source is counted under: an IPv4 address itself, an IPv6 address by its /64 (one host
     * usually owns a whole /64, so per-address counting would give it 2^64 budgets).
     */
    static Object sourceKey(InetAddress source) {
        if (source instanceof Inet6Address) {
            return new Prefix64(Arrays.copyOf(source.getAddress(), 8));
        }
        return source.getHostAddress();
    }

    private synchronized void release(Object key, boolean refusal) {
        if (refusal) {
            refused--;
            return;
        }
        total--;
        if (key != null) {
            bySource.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** An IPv6 /64 prefix as a map key. */
    private record Prefix64(byte[] prefix) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Prefix64 p && Arrays.equals(prefix, p.prefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(prefix);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < prefix.length; i += 2) {
                text.append(Integer.toHexString(((prefix[i] & 0xff) << 8) | (prefix[i + 1] & 0xff))).append(':');
            }
            return text.append(":/64").toString();
        }
    }

    /** One admitted connection's place; {@link #release()} frees it once (on login or close). */
    public final class Admission {
        private final Object key;
        private final boolean refusal;
        private final long deadlineNanos;
        private boolean released;

        private Admission(Object key, boolean refusal, long deadlineNanos) {
            this.key = key;
            this.refusal = refusal;
            this.deadlineNanos = deadlineNanos;
        }

        /** True for a connection over the budget: it is answered LIMIT_EXCEEDED and may not log in. */
        public boolean refused() {
            return refusal;
        }

        /** Frees the place; idempotent. */
        public void release() {
            synchronized (PreLoginLimits.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            PreLoginLimits.this.release(key, refusal);
        }

        /** True once released (logged in or closed). */
        public boolean released() {
            synchronized (PreLoginLimits.this) {
                return released;
            }
        }

        /** Time left to log in (zero or negative once the deadline has passed). */
        public Duration remaining() {
            return Duration.ofNanos(deadlineNanos - nanoClock.getAsLong());
        }

        /** True when the connection is still not logged in and its login deadline has passed. */
        public boolean expired() {
            return !released() && deadlineNanos - nanoClock.getAsLong() <= 0;
        }
    }
}
