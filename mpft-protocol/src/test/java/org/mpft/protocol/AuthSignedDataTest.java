package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The exact bytes a public-key login signs. */
class AuthSignedDataTest {

    @Test
    void goldenBytes() {
        byte[] signed = AuthSignedData.of(Bytes.fromHex("0102"), "bob", Bytes.fromHex("aabb"));

        assertThat(Wire.hexOf(signed)).isEqualTo(Wire.hexOf(Wire.hex(
                "6d7066742d617574682d7631", // "mpft-auth-v1", no length
                "0002 0102", // challenge
                "0003 626f62", // user "bob", UTF-8
                "0002 aabb"))); // certificate SHA-256
    }

    @Test
    void realisticSizesAndUnicodeUser() {
        Bytes challenge = Bytes.of(new byte[32]);
        Bytes cert = Bytes.fromHex(GoldenFrames.SHA256_ABC);

        byte[] signed = AuthSignedData.of(challenge, "zoë", cert);

        assertThat(Wire.hexOf(signed)).isEqualTo("6d7066742d617574682d7631" + "0020" + "00".repeat(32)
                + "0004 7a6fc3ab".replace(" ", "") + "0020" + GoldenFrames.SHA256_ABC);
    }

    @Test
    void everyInputChangesTheBytes() {
        Bytes challenge = Bytes.fromHex("01");
        Bytes cert = Bytes.fromHex("02");
        byte[] base = AuthSignedData.of(challenge, "u", cert);

        assertThat(AuthSignedData.of(Bytes.fromHex("03"), "u", cert)).isNotEqualTo(base);
        assertThat(AuthSignedData.of(challenge, "v", cert)).isNotEqualTo(base);
        assertThat(AuthSignedData.of(challenge, "u", Bytes.fromHex("03"))).isNotEqualTo(base);
        // length prefixes keep field boundaries unambiguous
        assertThat(AuthSignedData.of(Bytes.fromHex("0100"), "", cert))
                .isNotEqualTo(AuthSignedData.of(Bytes.fromHex("01"), "\u0000", cert));
    }
}
