package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;

/** The single-use login tokens of session offers, on a fake clock. */
class LoginTokensTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final LoginTokens tokens = new LoginTokens(Duration.ofSeconds(30), 3, 2, now::get);

    @Test
    void aTokenLogsInItsUserOnce() throws Exception {
        Bytes token = tokens.mint("alice");

        assertThat(token.length()).isEqualTo(LoginTokens.TOKEN_BYTES);
        assertThat(tokens.redeem("alice", token)).isTrue();
        assertThat(tokens.redeem("alice", token)).as("replayed").isFalse();
    }

    @Test
    void aTokenPresentedForAnotherUserIsRefusedAndUsedUp() throws Exception {
        Bytes token = tokens.mint("alice");

        assertThat(tokens.redeem("bob", token)).isFalse();
        assertThat(tokens.redeem("alice", token)).as("a refused token is gone").isFalse();
    }

    @Test
    void aTokenExpiresAtTheEndOfItsLifetime() throws Exception {
        Bytes early = tokens.mint("alice");
        Bytes late = tokens.mint("alice");

        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(tokens.redeem("alice", early)).as("1 ns before its end").isTrue();
        now.addAndGet(1);
        assertThat(tokens.redeem("alice", late)).as("at its end").isFalse();
    }

    @Test
    void anUnknownTokenIsRefused() throws Exception {
        tokens.mint("alice");

        assertThat(tokens.redeem("alice", Bytes.of(new byte[LoginTokens.TOKEN_BYTES]))).isFalse();
        assertThat(tokens.redeem("alice", Bytes.EMPTY)).isFalse();
    }

    @Test
    void theStoreIsBoundedDroppingTheExpiredThenTheOldest() throws Exception {
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
    void tokensAreDistinct() throws Exception {
        assertThat(tokens.mint("a")).isNotEqualTo(tokens.mint("a"));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new LoginTokens(Duration.ZERO, 1, 1, now::get)).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> new LoginTokens(Duration.ofSeconds(1), 0, 1, now::get))
                .hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> new LoginTokens(Duration.ofSeconds(1), 1, 0, now::get))
                .hasMessageContaining("maxPerUser");
        assertThatThrownBy(() -> tokens.mint("alice", 0)).hasMessageContaining("count");
    }

    @Test
    void severalTokensAtOnceAreDistinctAndEachLogsInItsUserOnce() throws Exception {
        LoginTokens many = new LoginTokens(Duration.ofSeconds(30), 64, 16, now::get);

        List<Bytes> minted = many.mint("alice", 16);

        assertThat(minted).hasSize(16).doesNotHaveDuplicates();
        for (Bytes token : minted) {
            assertThat(many.redeem("bob", token)).as("another user's").isFalse();
        }
        List<Bytes> again = many.mint("alice", 16);
        for (Bytes token : again) {
            assertThat(many.redeem("alice", token)).isTrue();
            assertThat(many.redeem("alice", token)).as("replayed").isFalse();
        }
        assertThat(many.size()).isZero();
    }

    @Test
    void tokensMintedTogetherExpireTogether() throws Exception {
        List<Bytes> minted = tokens.mint("alice", 2);

        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertThat(tokens.redeem("alice", minted.get(0))).isTrue();
        now.addAndGet(1);
        assertThat(tokens.redeem("alice", minted.get(1))).isFalse();
    }

    @Test
    void aUserCannotHoldMoreLiveTokensThanTheCapAndOthersAreUnaffected() throws Exception {
        List<Bytes> held = tokens.mint("alice", 2);

        assertThatThrownBy(() -> tokens.mint("alice")).isInstanceOf(LoginTokens.TooMany.class)
                .hasMessageContaining("user alice holds 2 unused login tokens")
                .hasMessageContaining("at most 2").hasMessageContaining("mpft.max-login-tokens-per-user");
        assertThatThrownBy(() -> tokens.mint("carol", 3)).as("more at once than the cap")
                .isInstanceOf(LoginTokens.TooMany.class);
        assertThat(tokens.size()).as("a refused mint mints nothing").isEqualTo(2);
        assertThat(tokens.redeem("alice", held.get(0))).as("held tokens still work").isTrue();
        assertThat(tokens.mint("bob")).isNotNull();

        Bytes next = tokens.mint("alice");
        assertThat(tokens.redeem("alice", next)).as("a used token makes room").isTrue();
        assertThatThrownBy(() -> tokens.mint("alice", 2)).isInstanceOf(LoginTokens.TooMany.class);

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(tokens.mint("alice", 2)).as("expired tokens make room").hasSize(2);
    }

    @Test
    void aTokenPushedOutOfTheFullStoreNoLongerCountsForItsUser() throws Exception {
        tokens.mint("alice", 2);
        tokens.mint("bob", 2);

        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.mint("alice")).as("alice's oldest was dropped for bob's").isNotNull();
    }
}
