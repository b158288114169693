package org.mpft.plugin.session;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.mpft.protocol.Bytes;

/**
 * The single-use login tokens handed out in session offers: 32 random bytes, bound to one user, valid for a
 * short lifetime, and taken out of the store by the first login that presents them, whether that login then
 * succeeds or not (a replay, a token past its lifetime or one presented for another user is refused). The store
 * is bounded twice: one user holds at most {@code maxPerUser} live tokens (more are refused, so one user cannot
 * push out the tokens of others), and when the whole store is full, expired tokens go first, then the oldest.
 * Only a hash of each token is kept. Thread-safe.
 */
public final class LoginTokens {

    /** Bytes of a token. */
    public static final int TOKEN_BYTES = 32;

    /** The most tokens held at once. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Minting would leave a user with more live tokens than allowed; nothing was minted. */
    public static final class TooMany extends Exception {
        private static final long serialVersionUID = 1L;

        TooMany(String message) {
            super(message);
        }
    }

    private record Minted(String user, long expiresAtNanos) {
    }

    private final Duration lifetime;
    private final int maxTokens;
    private final int maxPerUser;
    private final LongSupplier nanoClock;
    /** By the SHA-256 of the token, in minting order (the oldest first). */
    private final LinkedHashMap<Bytes, Minted> tokens = new LinkedHashMap<>();
    /** Live tokens per user (the entries of {@link #tokens}, counted). */
    private final Map<String, Integer> perUser = new HashMap<>();

    /**
     * @param lifetime   how long a token is valid after it is minted
     * @param maxTokens  the most tokens held at once, all users together
     * @param maxPerUser the most live tokens of one user ({@code mpft.max-login-tokens-per-user})
     * @param nanoClock  a monotonic clock, nanoseconds ({@code System::nanoTime})
     */
    public LoginTokens(Duration lifetime, int maxTokens, int maxPerUser, LongSupplier nanoClock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive, got " + lifetime);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("maxPerUser must be at least 1, got " + maxPerUser);
        }
        this.lifetime = lifetime;
        this.maxTokens = maxTokens;
        this.maxPerUser = maxPerUser;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** How long a token is valid after it is minted. */
    public Duration lifetime() {
        return lifetime;
    }

    /** Mints one token for {@code user}; the caller hands it to that user only. */
    public Bytes mint(String user) throws TooMany {
        return mint(user, 1).get(0);
    }

    /**
     * Mints {@code count} tokens for {@code user}, all with the same lifetime; the caller hands them to that user
     * only.
     *
     * @throws TooMany when the user would then hold more than {@code maxPerUser} live tokens (none is minted)
     */
    public synchronized List<Bytes> mint(String user, int count) throws TooMany {
        Objects.requireNonNull(user, "user");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        long now = nanoClock.getAsLong();
        dropExpired(now);
        int live = perUser.getOrDefault(user, 0);
        if (live + count > maxPerUser) {
            throw new TooMany("user " + user + " holds " + live + " unused login tokens and may hold at most "
                    + maxPerUser + " (mpft.max-login-tokens-per-user); use them or let them expire ("
                    + lifetime.toMillis() + " ms)");
        }
        Iterator<Map.Entry<Bytes, Minted>> oldest = tokens.entrySet().iterator();
        while (tokens.size() + count > maxTokens && oldest.hasNext()) {
            String owner = oldest.next().getValue().user();
            oldest.remove();
            forget(owner);
        }
        List<Bytes> minted = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] token = new byte[TOKEN_BYTES];
            RANDOM.nextBytes(token);
            tokens.put(hash(token), new Minted(user, now + lifetime.toNanos()));
            perUser.merge(user, 1, Integer::sum);
            minted.add(Bytes.of(token));
        }
        return minted;
    }

    /**
     * Takes a token out of the store.
     *
     * @return true when the token was minted for {@code user}, has not been presented before and has not expired
     */
    public synchronized boolean redeem(String user, Bytes token) {
        long now = nanoClock.getAsLong();
        Minted minted = tokens.remove(hash(token.toByteArray()));
        if (minted == null) {
            return false;
        }
        forget(minted.user());
        return minted.user().equals(user) && now - minted.expiresAtNanos() < 0;
    }

    /** The tokens held (minted, not presented, and not yet dropped as expired). */
    public synchronized int size() {
        return tokens.size();
    }

    private void dropExpired(long now) {
        Iterator<Minted> all = tokens.values().iterator();
        while (all.hasNext()) {
            Minted minted = all.next();
            if (now - minted.expiresAtNanos() >= 0) {
                all.remove();
                forget(minted.user());
            }
        }
    }

    /** One token of {@code user} left the store. */
    private void forget(String user) {
        perUser.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
    }

    private static Bytes hash(byte[] token) {
        try {
            return Bytes.of(MessageDigest.getInstance("SHA-256").digest(token));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
