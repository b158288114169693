package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;

/** The single-use login tokens of session offers, on a fake clock. */
class LoginTokensTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final LoginTokens tokens = new LoginTokens(Duration.ofSeconds(30), 3, now::get);

    @Test
    void aTokenLogsInItsUserOnce() {
        Bytes token = tokens.mint("alice");

        assertThat(token.length()).isEqualTo(LoginTokens.TOKEN_BYTES);
        assertThat(tokens.redeem("alice", token)).isTrue();
        assertThat(tokens.redeem("alice", token)).as("replayed").isFalse();
    }

    @Test
    void aTokenPresentedForAnotherUserIsRefusedAndUsedUp() {
        Bytes token = tokens.mint("alice");

        assertThat(tokens.redeem("bob", token)).isFalse();
        assertThat(tokens.redeem("alice", token)).as("a refused token is gone").isFalse();
    }

    @Test
    void aTokenExpiresAtTheEndOfItsLifetime() {
        Bytes early = tokens.mint("alice");
        Bytes late = tokens.mint("alice");

        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(tokens.redeem("alice", early)).as("1 ns before its end").isTrue();
        now.addAndGet(1);
        assertThat(tokens.redeem("alice", late)).as("at its end").isFalse();
    }

    @Test
    void anUnknownTokenIsRefused() {
        tokens.mint("alice");

        assertThat(tokens.redeem("alice", Bytes.of(new byte[LoginTokens.TOKEN_BYTES]))).isFalse();
        assertThat(tokens.redeem("alice", Bytes.EMPTY)).isFalse();
    }

    @Test
    void theStoreIsBoundedDroppingTheExpiredThenTheOldest() {
        Bytes first = tokens.mint("a");
        Bytes second = tokens.mint("b");
        tokens.mint("c");
        Bytes fourth = tokens.mint("d");

        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.redeem("a", first)).as("the oldest made room").isFalse();
        assertThat(tokens.redeem("b", second)).isTrue();
        assertThat(tokens.redeem("d", fourth)).isTrue();

        now.addAndGet(Duration.ofSeconds(31).toNanos());
        tokens.mint("e");
        assertThat(tokens.size()).as("the expired went first").isEqualTo(1);
    }

    @Test
    void tokensAreDistinct() {
        assertThat(tokens.mint("a")).isNotEqualTo(tokens.mint("a"));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new LoginTokens(Duration.ZERO, 1, now::get)).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> new LoginTokens(Duration.ofSeconds(1), 0, now::get)).hasMessageContaining("maxTokens");
    }
}
