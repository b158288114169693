package org.mpft.plugin.session;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.mpft.protocol.Bytes;

/**
 * The single-use login tokens handed out in session offers: 32 random bytes, bound to one user, valid for a
 * short lifetime, and taken out of the store by the first login that presents them, whether that login then
 * succeeds or not (a replay, a token past its lifetime or one presented for another user is refused). The store
 * is bounded: when it is full, expired tokens go first, then the oldest. Only a hash of each token is kept.
 * Thread-safe.
 */
public final class LoginTokens {

    /** Bytes of a token. */
    public static final int TOKEN_BYTES = 32;

    /** The most tokens held at once. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Minted(String user, long expiresAtNanos) {
    }

    private final Duration lifetime;
    private final int maxTokens;
    private final LongSupplier nanoClock;
    /** By the SHA-256 of the token, in minting order (the oldest first). */
    private final LinkedHashMap<Bytes, Minted> tokens = new LinkedHashMap<>();

    /**
     * @param lifetime  how long a token is valid after it is minted
     * @param maxTokens the most tokens held at once
     * @param nanoClock a monotonic clock, nanoseconds ({@code System::nanoTime})
     */
    public LoginTokens(Duration lifetime, int maxTokens, LongSupplier nanoClock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive, got " + lifetime);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        this.lifetime = lifetime;
        this.maxTokens = maxTokens;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** How long a token is valid after it is minted. */
    public Duration lifetime() {
        return lifetime;
    }

    /** Mints a token for {@code user}; the caller hands it to that user only. */
    public synchronized Bytes mint(String user) {
        Objects.requireNonNull(user, "user");
        long now = nanoClock.getAsLong();
        dropExpired(now);
        Iterator<Bytes> oldest = tokens.keySet().iterator();
        while (tokens.size() >= maxTokens && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        tokens.put(hash(token), new Minted(user, now + lifetime.toNanos()));
        return Bytes.of(token);
    }

    /**
     * Takes a token out of the store.
     *
     * @return true when the token was minted for {@code user}, has not been presented before and has not expired
     */
    public synchronized boolean redeem(String user, Bytes token) {
        long now = nanoClock.getAsLong();
        Minted minted = tokens.remove(hash(token.toByteArray()));
        return minted != null && minted.user().equals(user) && now - minted.expiresAtNanos() < 0;
    }

    /** The tokens held (minted, not presented, and not yet dropped as expired). */
    public synchronized int size() {
        return tokens.size();
    }

    private void dropExpired(long now) {
        tokens.values().removeIf(m -> now - m.expiresAtNanos() >= 0);
    }

    private static Bytes hash(byte[] token) {
        try {
            return Bytes.of(MessageDigest.getInstance("SHA-256").digest(token));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
