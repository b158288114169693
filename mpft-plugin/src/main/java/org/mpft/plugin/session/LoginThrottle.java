package org.mpft.plugin.session;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Exponential back-off after failed logins, kept separately per user name and per source address: after
 * {@code freeFailures} failures of a key, each further failure locks that key for {@code base × 2^k}
 * (capped at {@code max}); a locked key's logins are refused without asking the host, so a password
 * cannot be guessed faster than the back-off allows, neither against one user from many addresses nor
 * against many users from one address. A key forgets its failures {@code forgetAfter} after its last
 * one; a good login clears its user's count (not its address's: one account must not unlock guessing
 * against all others). Memory is bounded: at most {@code maxKeys} keys, the least recently failed
 * dropped first.
 *
 * <p>A login is checked through {@link #begin}: it is refused when its user or source is locked, and also
 * (as busy) when a login of the same user from the same source is still being checked by the host, so
 * parallel connections cannot each get a guess in before the first failure locks them out. An
 * {@link Attempt} counts as a failure unless {@link Attempt#succeeded()} is called: the failure is recorded
 * in the same step that ends the attempt, so the next login of that user from that source already sees the
 * lock. Sources are IPv4 addresses and IPv6 /64 prefixes ({@link PreLoginLimits#sourceKey}). Thread-safe;
 * time comes from a {@link LongSupplier} of nanoseconds (a fake clock in tests).
 */
public final class LoginThrottle {

    /** The default bound on remembered keys (users plus addresses). */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    private final long baseNanos;
    private final long maxNanos;
    private final int freeFailures;
    private final long forgetNanos;
    private final int maxKeys;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    /** Outcomes since the start, for the metrics: good logins, failed ones, ones refused while locked. */
    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder locked = new LongAdder();
    /** The user+source pairs whose login the host is checking now (at most one each). */
    private final Set<String> inProgress = new HashSet<>();

    /** Failures of one key and when it may try again. */
    private static final class Entry {
        int failures;
        long lastFailure;
        long lockedUntil;
    }

    /**
     * @param base         the first lock, after {@code freeFailures} failures; zero turns the throttle off
     * @param max          the longest lock
     * @param freeFailures failures of a key before its first lock (0 = lock from the first failure)
     * @param forgetAfter  a key's failures are forgotten this long after its last one
     * @param maxKeys      the most keys remembered
     * @param clock        nanoseconds, monotonic ({@code System::nanoTime})
     */
    public LoginThrottle(Duration base, Duration max, int freeFailures, Duration forgetAfter, int maxKeys,
                         LongSupplier clock) {
        this.baseNanos = base.toNanos();
        this.maxNanos = Math.max(baseNanos, max.toNanos());
        if (baseNanos < 0 || freeFailures < 0 || maxKeys < 2 || forgetAfter.isNegative()) {
            throw new IllegalArgumentException("bad login throttle settings");
        }
        this.freeFailures = freeFailures;
        this.forgetNanos = forgetAfter.toNanos();
        this.maxKeys = maxKeys;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What {@link #begin} decided for one login. */
    public sealed interface Start permits Locked, Busy, Attempt {
    }

    /**
     * Refused: the user or the source failed too often.
     *
     * @param remaining how long the lock still lasts
     */
    public record Locked(Duration remaining) implements Start {
    }

    /** Refused for now: a login of the same user from the same source is being checked. */
    public record Busy() implements Start {
    }

    /**
     * Starts a login of {@code user} from {@code source}: refused while either is locked or while another
     * login of the pair is in progress, else an {@link Attempt} the caller must end once (it counts as a
     * failure unless it succeeded or was abandoned before the host was asked).
     */
    public synchronized Start begin(String user, InetAddress source) {
        Duration wait = waitFor(user, source);
        if (!wait.isZero()) {
            return new Locked(wait);
        }
        String pair = userKey(user) + "|" + addressKey(source);
        if (!inProgress.add(pair)) {
            return new Busy();
        }
        return new Attempt(user, source, pair);
    }

    /** Logins in progress now (for tests). */
    synchronized int inProgress() {
        return inProgress.size();
    }

    /**
     * One login being checked by the host. It ends once: {@link #succeeded()} (the host said OK),
     * {@link #abandoned()} (the host was never asked), or {@link #failed()} (anything else, the default).
     */
    public final class Attempt implements Start {
        private final String user;
        private final InetAddress source;
        private final String pair;
        private boolean ended;

        private Attempt(String user, InetAddress source, String pair) {
            this.user = user;
            this.source = source;
            this.pair = pair;
        }

        /** The host accepted the login: the user's failures are forgotten. */
        public void succeeded() {
            end(Outcome.OK);
        }

        /** The host refused the login, or its check failed: counted for the user and the source. */
        public void failed() {
            end(Outcome.FAILED);
        }

        /** The host was never asked (no room to check it): nothing is counted. */
        public void abandoned() {
            end(Outcome.NOT_TRIED);
        }

        private void end(Outcome outcome) {
            synchronized (LoginThrottle.this) {
                if (ended) {
                    return;
                }
                ended = true;
                inProgress.remove(pair);
                switch (outcome) {
                    case OK -> LoginThrottle.this.succeeded(user);
                    case FAILED -> LoginThrottle.this.failed(user, source);
                    case NOT_TRIED -> { }
                }
            }
        }
    }

    private enum Outcome { OK, FAILED, NOT_TRIED }

    /**
     * How long a login of {@code user} from {@code source} must still wait; zero when it may be checked now.
     */
    synchronized Duration waitFor(String user, InetAddress source) {
        if (baseNanos == 0) {
            return Duration.ZERO;
        }
        long now = clock.getAsLong();
        long wait = Math.max(remaining(userKey(user), now), remaining(addressKey(source), now));
        if (wait > 0) {
            locked.increment();
        }
        return Duration.ofNanos(wait);
    }

    /** Records a failed login: both the user's and the address's count go up. */
    synchronized void failed(String user, InetAddress source) {
        failures.increment();
        if (baseNanos == 0) {
            return;
        }
        long now = clock.getAsLong();
        fail(userKey(user), now);
        fail(addressKey(source), now);
    }

    /** Records a good login: the user's failures are forgotten. */
    synchronized void succeeded(String user) {
        successes.increment();
        entries.remove(userKey(user));
    }

    /** Good logins since the start. */
    public long successes() {
        return successes.sum();
    }

    /** Logins the host refused since the start. */
    public long failures() {
        return failures.sum();
    }

    /** Logins refused without asking the host because their user name or address was locked. */
    public long lockedOut() {
        return locked.sum();
    }

    /** Keys remembered now (for tests of the memory bound). */
    synchronized int size() {
        return entries.size();
    }

    private long remaining(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            return 0;
        }
        if (now - e.lastFailure > forgetNanos) {
            entries.remove(key);
            return 0;
        }
        return Math.max(0, e.lockedUntil - now);
    }

    private void fail(String key, long now) {
        Entry e = entries.get(key);
        if (e == null || now - e.lastFailure > forgetNanos) {
            e = new Entry();
            entries.put(key, e);
        }
        e.failures++;
        e.lastFailure = now;
        int over = e.failures - freeFailures;
        if (over > 0) {
            long lock = over > 40 ? maxNanos : Math.min(maxNanos, baseNanos << Math.min(over - 1, 40));
            if (lock < 0) {
                lock = maxNanos; // shift overflow
            }
            e.lockedUntil = now + lock;
        }
        evict(now);
    }

    private void evict(long now) {
        if (entries.size() <= maxKeys) {
            return;
        }
        // first the forgotten, then the least recently used
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue().lastFailure > forgetNanos) {
                it.remove();
            }
        }
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
             entries.size() > maxKeys && it.hasNext(); ) {
            it.next();
            it.remove();
        }
    }

    /** A user's key; a long name (never a real one) is kept as its hash, so memory stays bounded. */
    private static String userKey(String user) {
        if (user.length() <= 64) {
            return "u:" + user;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(user.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "h:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A source's key: an IPv4 address, or an IPv6 /64 (one host usually owns a whole /64). */
    private static String addressKey(InetAddress source) {
        return "a:" + (source == null ? "?" : PreLoginLimits.sourceKey(source));
    }
}
