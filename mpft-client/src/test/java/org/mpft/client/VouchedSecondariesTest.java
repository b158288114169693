package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.protocol.Strategy;

/** A primary's META may only list secondaries whose host strings a client can safely dial and show. */
class VouchedSecondariesTest {

    private static Meta meta(SecondaryEndpoint... secondaries) {
        return new Meta(1, 1 << 20, 0, 1 << 18, ChecksumAlgorithm.values()[0], Strategy.ALTERNATE, 0,
                List.of(secondaries));
    }

    private static SecondaryEndpoint endpoint(String name, String host, int port) {
        return new SecondaryEndpoint(name, host, port, Bytes.of(new byte[32]), Bytes.of(new byte[16]));
    }

    @Test
    void acceptsNamesAndAddresses() throws Exception {
        VouchedSecondaries.check(meta(endpoint("s1", "files-2.example.org", 7301), endpoint("s2", "10.0.0.2", 1),
                endpoint("s3", "::1", 65535), endpoint("s4", "2001:db8::7", 7300), endpoint("s5", "localhost", 7300)),
                "h:7300");
        VouchedSecondaries.check(meta(), "h:7300");
    }

    @Test
    void refusesHostileHostStrings() {
        for (String host : new String[] {"", "a\nb", "evil.org\r\nX", "a b", "host:7300", "[::1]", "::1%eth0",
            "a..b", "-a.org", "a-.org", "a_b.org", "999.1.1.1", "1.2.3", "x".repeat(254), "a/b", "a\u202eb",
            "a@b", "1::2::3", "\u0000"}) {
            assertThatThrownBy(() -> VouchedSecondaries.check(meta(endpoint("s", host, 7301)), "h:7300"))
                    .as(host)
                    .isInstanceOfSatisfying(MpftException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                        assertThat(e.getMessage()).contains("h:7300").contains("META").doesNotContain("\n");
                    });
        }
    }

    @Test
    void refusesPortZeroBadNamesAndDuplicates() {
        assertThatThrownBy(() -> VouchedSecondaries.check(meta(endpoint("s", "a.org", 0)), "h:7300"))
                .hasMessageContaining("port 0");
        assertThatThrownBy(() -> VouchedSecondaries.check(meta(endpoint("s\u001b[2J", "a.org", 1)), "h:7300"))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> VouchedSecondaries.check(meta(endpoint("x".repeat(129), "a.org", 1)), "h:7300"))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> VouchedSecondaries.check(meta(endpoint("s", "a.org", 1), endpoint("t", "A.org", 1)),
                "h:7300")).hasMessageContaining("twice");
    }
}
