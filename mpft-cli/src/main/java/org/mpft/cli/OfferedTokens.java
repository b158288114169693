package org.mpft.cli;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.mpft.client.LoginTokenSource;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The login tokens of session offers, one per login: the tokens of the offer in hand while they last and are
 * valid, then those of a new offer asked over SSH again. A token counts as expired a little before its offer
 * says (its lifetime is counted from before ssh was started, less a margin for the login's way to the server),
 * so a token is not spent on a login the server would refuse as late. A new offer must name the same server
 * certificate (SHA-256) and the same user as the first one, else the login fails: the download is pinned to the
 * first. Thread-safe: parallel sessions draw at once, and one of them asks for a new offer while the others wait.
 */
final class OfferedTokens implements LoginTokenSource {

    /** The most taken off a token's lifetime as a margin for the login's way to the server. */
    static final long MAX_MARGIN_MS = 1_000;

    /** Asks the host for a new session offer (runs ssh). */
    @FunctionalInterface
    interface Renewal {
        SessionOffer offer() throws MpftException;
    }

    private final String user;
    private final byte[] certificateSha256;
    private final Renewal renewal;
    private final LongSupplier nanoClock;
    private final Deque<byte[]> tokens = new ArrayDeque<>();
    private long validUntilNanos;

    /**
     * @param first        the first offer
     * @param askedAtNanos when the first offer was asked for (before ssh started), on {@code nanoClock}
     * @param renewal      asks for the next offer when these run out or expire
     * @param nanoClock    a monotonic clock, nanoseconds ({@code System::nanoTime})
     */
    OfferedTokens(SessionOffer first, long askedAtNanos, Renewal renewal, LongSupplier nanoClock) {
        this.user = first.user();
        this.certificateSha256 = first.certificateSha256().clone();
        this.renewal = Objects.requireNonNull(renewal, "renewal");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        take(first, askedAtNanos);
    }

    /**
     * The next unused, unexpired token; asks for a new offer when none is left.
     *
     * @throws MpftException as the renewal fails, or {@link ErrorCode#AUTHENTICATION_FAILED} when the new offer
     *                       names another certificate or user than the first
     */
    @Override
    public synchronized byte[] next() throws MpftException {
        if (tokens.isEmpty() || nanoClock.getAsLong() - validUntilNanos >= 0) {
            long asked = nanoClock.getAsLong();
            SessionOffer offer = renewal.offer();
            if (!MessageDigest.isEqual(offer.certificateSha256(), certificateSha256)) {
                throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "the host's new session offer names another"
                        + " server certificate (SHA-256 " + HexFormat.of().formatHex(offer.certificateSha256())
                        + ") than the first offer of this download (" + HexFormat.of().formatHex(certificateSha256)
                        + "): the mpft server changed its certificate or is not the one this download started with;"
                        + " not logging in");
            }
            if (!offer.user().equals(user)) {
                throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "the host's new session offer is for user '"
                        + offer.user() + "', the first one was for '" + user + "'; not logging in");
            }
            take(offer, asked);
        }
        return tokens.poll();
    }

    private void take(SessionOffer offer, long askedAtNanos) {
        tokens.clear();
        tokens.addAll(offer.tokens());
        long margin = Math.min(MAX_MARGIN_MS, offer.expiresInMs() / 4);
        validUntilNanos = askedAtNanos + (offer.expiresInMs() - margin) * 1_000_000L;
    }
}
