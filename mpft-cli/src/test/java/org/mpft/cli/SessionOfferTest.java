package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** Reading the session offer that the host's {@code mpft-offer} prints. */
class SessionOfferTest {

    private static final String CERT = "ab".repeat(32);
    private static final String TOKEN = "01".repeat(32);

    @Test
    void readsEveryFieldAndIgnoresUnknownKeys() throws MpftException {
        SessionOffer offer = SessionOffer.parse("mpft-offer 1\nuser alice\nhost 10.0.0.1\nport 7301\n"
                + "certificate-sha256 " + CERT + "\ntoken " + TOKEN + "\nexpires-in-ms 30000\nfuture-key x\n");

        assertThat(offer.user()).isEqualTo("alice");
        assertThat(offer.host()).isEqualTo("10.0.0.1");
        assertThat(offer.port()).isEqualTo(7301);
        assertThat(offer.certificateSha256()).hasSize(32).containsOnly((byte) 0xab);
        assertThat(offer.tokens()).singleElement().satisfies(t -> assertThat(t).hasSize(32).containsOnly((byte) 1));
        assertThat(offer.expiresInMs()).isEqualTo(30_000);
        assertThat(offer.toString()).doesNotContain(TOKEN);
    }

    @Test
    void withoutHostTheSshHostIsUsed() throws MpftException {
        assertThat(SessionOffer.parse("mpft-offer 1\r\nuser a\r\nport 1\r\ncertificate-sha256 " + CERT + "\r\ntoken "
                + TOKEN + "\r\n").host()).isNull();
    }

    @Test
    void aMalformedOfferIsAProtocolErrorNamingWhatIsWrong() {
        String good = "user a\nport 7300\ncertificate-sha256 " + CERT + "\ntoken " + TOKEN + "\n";
        assertRefused("Welcome to the shell\n" + good, "does not start with 'mpft-offer 1'");
        assertRefused("", "does not start with");
        assertRefused("mpft-offer 1\n" + good.replace("port 7300", "port x"), "port 'x' is not a number");
        assertRefused("mpft-offer 1\n" + good.replace("port 7300", "port 70000"), "out of range");
        assertRefused("mpft-offer 1\n" + good.replace("token " + TOKEN, "token zz"), "token is not hex");
        assertRefused("mpft-offer 1\n" + good.replace("certificate-sha256 " + CERT, "certificate-sha256 abcd"),
                "not 32 bytes");
        assertRefused("mpft-offer 1\n" + good.replace("user a\n", ""), "names no user");
        assertRefused("mpft-offer 1\n" + good.replace("token " + TOKEN + "\n", ""), "no 'token' line");
        assertRefused("mpft-offer 1\n" + good + "expires-in-ms soon\n", "expires-in-ms 'soon' is not a positive");
        assertRefused("mpft-offer 1\n" + good + "expires-in-ms 0\n", "expires-in-ms '0' is not a positive");
        assertRefused("mpft-offer 1\n" + good + "token 0102zz\n", "token is not hex");
    }

    @Test
    void everyTokenLineIsAToken() throws MpftException {
        SessionOffer offer = SessionOffer.parse("mpft-offer 1\nuser a\nport 7300\ncertificate-sha256 " + CERT
                + "\ntoken " + TOKEN + "\ntoken " + "02".repeat(32) + "\ntoken " + "03".repeat(32)
                + "\nexpires-in-ms 500\n");

        assertThat(offer.tokens()).hasSize(3);
        assertThat(offer.tokens().get(2)).containsOnly((byte) 3);
        assertThat(offer.expiresInMs()).isEqualTo(500);
        assertThat(offer.toString()).contains("tokens=3").doesNotContain("02".repeat(32));
    }

    @Test
    void withoutALifetimeTheServersDefaultIsAssumed() throws MpftException {
        assertThat(SessionOffer.parse("mpft-offer 1\nuser a\nport 7300\ncertificate-sha256 " + CERT + "\ntoken "
                + TOKEN + "\n").expiresInMs()).isEqualTo(SessionOffer.DEFAULT_EXPIRES_IN_MS);
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> SessionOffer.parse(text)).isInstanceOf(MpftException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    }
}
