package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** Tokens one per login, a new offer over SSH when they run out or expire; on a fake clock. */
class OfferedTokensTest {

    private static final byte[] CERT = filled(32, 0xab);
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final AtomicInteger renewals = new AtomicInteger();
    private final Deque<SessionOffer> next = new ArrayDeque<>();

    private OfferedTokens.Renewal renewal() {
        return () -> {
            renewals.incrementAndGet();
            SessionOffer offer = next.poll();
            if (offer == null) {
                throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "ssh failed");
            }
            return offer;
        };
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static SessionOffer offer(String user, byte[] cert, long expiresInMs, int... tokens) {
        List<byte[]> list = java.util.Arrays.stream(tokens).mapToObj(t -> filled(32, t)).toList();
        return new SessionOffer(user, null, 7300, cert, list, expiresInMs);
    }

    @Test
    void eachLoginGetsTheNextTokenThenANewOfferIsAskedFor() throws Exception {
        OfferedTokens tokens = new OfferedTokens(offer("alice", CERT, 30_000, 1, 2), now.get(), renewal(), now::get);
        next.add(offer("alice", CERT, 30_000, 3));

        assertThat(tokens.next()).containsOnly((byte) 1);
        assertThat(tokens.next()).containsOnly((byte) 2);
        assertThat(renewals).hasValue(0);
        assertThat(tokens.next()).containsOnly((byte) 3);
        assertThat(renewals).hasValue(1);
    }

    @Test
    void tokensCloseToTheirLifetimesEndAreNotSpent() throws Exception {
        OfferedTokens tokens = new OfferedTokens(offer("alice", CERT, 30_000, 1, 2), now.get(), renewal(), now::get);
        next.add(offer("alice", CERT, 2_000, 7, 8));

        now.addAndGet((30_000 - OfferedTokens.MAX_MARGIN_MS) * 1_000_000L - 1);
        assertThat(tokens.next()).as("within the lifetime less the margin").containsOnly((byte) 1);
        now.addAndGet(1);
        assertThat(tokens.next()).as("token 2 is too late: a new offer").containsOnly((byte) 7);
        // a short lifetime takes a quarter of it as the margin: 2000 ms - 500 ms
        now.addAndGet(1_500 * 1_000_000L);
        next.add(offer("alice", CERT, 2_000, 9));
        assertThat(tokens.next()).containsOnly((byte) 9);
        assertThat(renewals).hasValue(2);
    }

    @Test
    void aNewOfferForAnotherCertificateIsRefusedNamingBoth() {
        OfferedTokens tokens = new OfferedTokens(offer("alice", CERT, 30_000, 1), now.get(), renewal(), now::get);
        next.add(offer("alice", filled(32, 0xcd), 30_000, 2));

        assertThat(catchNext(tokens)).containsOnly((byte) 1);
        assertThatThrownBy(tokens::next).isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                .hasMessageContaining("names another server certificate (SHA-256 " + "cd".repeat(32))
                .hasMessageContaining("ab".repeat(32));
    }

    @Test
    void aNewOfferForAnotherUserIsRefused() {
        OfferedTokens tokens = new OfferedTokens(offer("alice", CERT, 30_000, 1), now.get(), renewal(), now::get);
        next.add(offer("bob", CERT, 30_000, 2));

        catchNext(tokens);
        assertThatThrownBy(tokens::next).hasMessageContaining("for user 'bob', the first one was for 'alice'");
    }

    @Test
    void aFailedRenewalFailsTheLoginWithItsCode() {
        OfferedTokens tokens = new OfferedTokens(offer("alice", CERT, 30_000, 1), now.get(), renewal(), now::get);

        catchNext(tokens);
        assertThatThrownBy(tokens::next).isInstanceOfSatisfying(MpftException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE));
    }

    private static byte[] catchNext(OfferedTokens tokens) {
        try {
            return tokens.next();
        } catch (MpftException e) {
            throw new AssertionError(e);
        }
    }
}
