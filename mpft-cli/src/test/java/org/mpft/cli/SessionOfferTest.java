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
        assertThat(offer.token()).hasSize(32).containsOnly((byte) 1);
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
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> SessionOffer.parse(text)).isInstanceOf(MpftException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    }
}
