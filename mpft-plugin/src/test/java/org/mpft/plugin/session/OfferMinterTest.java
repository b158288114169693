package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;

/** The text of a session offer, and the token in it logging in its user. */
class OfferMinterTest {

    private static final Bytes CERT = Bytes.fromHex("ab".repeat(32));

    private final LoginTokens tokens = new LoginTokens(Duration.ofSeconds(20), 64, 20, () -> 0L);

    @Test
    void anOfferNamesTheAddressTheCertificateAndAFreshTokenOfItsUser() throws Exception {
        String offer = new OfferMinter(tokens, "files.example.org", 7301, CERT).offer("alice");

        assertThat(offer).startsWith("mpft-offer 1\n").contains("\nuser alice\n", "\nhost files.example.org\n",
                "\nport 7301\n", "\ncertificate-sha256 " + "ab".repeat(32) + "\n", "\nexpires-in-ms 20000\n");
        String token = offer.lines().filter(l -> l.startsWith("token ")).findFirst().orElseThrow().substring(6);
        assertThat(tokens.redeem("alice", Bytes.fromHex(token))).isTrue();
    }

    @Test
    void withoutAHostTheClientUsesTheOneItReachedOverSsh() throws Exception {
        String offer = new OfferMinter(tokens, null, 7300, CERT).offer("bob");

        assertThat(offer).doesNotContain("host ").contains("\nport 7300\n");
    }

    @Test
    void anOfferWithSeveralTokensHasOneTokenLinePerTokenEachLoggingInItsUserOnce() throws Exception {
        String offer = new OfferMinter(tokens, null, 7300, CERT).offer("alice", 16);

        List<String> lines = offer.lines().filter(l -> l.startsWith("token ")).map(l -> l.substring(6)).toList();
        assertThat(lines).hasSize(16).doesNotHaveDuplicates();
        assertThat(offer).contains("\nexpires-in-ms 20000\n");
        for (String token : lines) {
            assertThat(tokens.redeem("alice", Bytes.fromHex(token))).isTrue();
            assertThat(tokens.redeem("alice", Bytes.fromHex(token))).as("replayed").isFalse();
        }
    }

    @Test
    void anOfferPastTheUsersCapIsRefusedAndMintsNothing() throws Exception {
        OfferMinter minter = new OfferMinter(tokens, null, 7300, CERT);
        minter.offer("alice", 16);

        assertThatThrownBy(() -> minter.offer("alice", 5)).isInstanceOf(LoginTokens.TooMany.class)
                .hasMessageContaining("at most 20");
        assertThat(tokens.size()).isEqualTo(16);
        assertThat(minter.offer("alice", 4)).contains("token ");
    }

    @Test
    void theTokenCountComesFromTheCommandsArguments() {
        assertThat(OfferMinter.tokenCount(List.of())).isEqualTo(1);
        assertThat(OfferMinter.tokenCount(List.of("--tokens", "4"))).isEqualTo(4);
        assertThat(OfferMinter.tokenCount(List.of("--tokens=16"))).isEqualTo(16);
        assertThat(OfferMinter.tokenCount(List.of("--tokens", "1"))).isEqualTo(1);
    }

    @Test
    void badTokenCountsAreNamed() {
        assertThatThrownBy(() -> OfferMinter.tokenCount(List.of("--tokens", "0")))
                .hasMessage("--tokens must be a number from 1 to 16, got '0'");
        assertThatThrownBy(() -> OfferMinter.tokenCount(List.of("--tokens", "17")))
                .hasMessage("--tokens must be a number from 1 to 16, got '17'");
        assertThatThrownBy(() -> OfferMinter.tokenCount(List.of("--tokens", "four")))
                .hasMessage("--tokens must be a number from 1 to 16, got 'four'");
        assertThatThrownBy(() -> OfferMinter.tokenCount(List.of("--tokens")))
                .hasMessage("--tokens needs a number from 1 to 16");
        assertThatThrownBy(() -> OfferMinter.tokenCount(List.of("--lots")))
                .hasMessageContaining("unknown argument '--lots'");
        assertThatThrownBy(() -> OfferMinter.tokenCount(List.of("--tokens", "2", "3")))
                .hasMessageContaining("unexpected argument '3'");
        assertThatThrownBy(() -> new OfferMinter(tokens, null, 7300, CERT).offer("alice", 17))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
