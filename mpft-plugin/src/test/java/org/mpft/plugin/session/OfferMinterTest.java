package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;

/** The text of a session offer, and the token in it logging in its user. */
class OfferMinterTest {

    private static final Bytes CERT = Bytes.fromHex("ab".repeat(32));

    private final LoginTokens tokens = new LoginTokens(Duration.ofSeconds(20), 16, () -> 0L);

    @Test
    void anOfferNamesTheAddressTheCertificateAndAFreshTokenOfItsUser() {
        String offer = new OfferMinter(tokens, "files.example.org", 7301, CERT).offer("alice");

        assertThat(offer).startsWith("mpft-offer 1\n").contains("\nuser alice\n", "\nhost files.example.org\n",
                "\nport 7301\n", "\ncertificate-sha256 " + "ab".repeat(32) + "\n", "\nexpires-in-ms 20000\n");
        String token = offer.lines().filter(l -> l.startsWith("token ")).findFirst().orElseThrow().substring(6);
        assertThat(tokens.redeem("alice", Bytes.fromHex(token))).isTrue();
    }

    @Test
    void withoutAHostTheClientUsesTheOneItReachedOverSsh() {
        String offer = new OfferMinter(tokens, null, 7300, CERT).offer("bob");

        assertThat(offer).doesNotContain("host ").contains("\nport 7300\n");
    }
}
