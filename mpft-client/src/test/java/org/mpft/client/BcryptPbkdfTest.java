package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BcryptPbkdfTest {

    private static final byte[] PASSWORD = "s3cret pass".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SALT = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    private static String derive(int length) {
        byte[] key = new byte[length];
        BcryptPbkdf.derive(PASSWORD, SALT, 16, key);
        return HexFormat.of().formatHex(key);
    }

    @Test
    void blowfishStartsFromTheDigitsOfPi() {
        int[] words = BcryptPbkdf.piWords(18 + 1024);
        assertThat(words[0]).isEqualTo(0x243f6a88); // P[0]
        assertThat(words[17]).isEqualTo(0x8979fb1b); // P[17]
        assertThat(words[18]).isEqualTo(0xd1310ba6); // S0[0]
        assertThat(words[18 + 1023]).isEqualTo(0x3ac372e6); // S3[255]
    }

    /** Known answers computed with OpenSSH's algorithm (Apache MINA SSHD's BCrypt.pbkdf gives the same bytes). */
    @Test
    void knownAnswers() {
        // AES-256-CTR's key and IV: 48 bytes spread over two SHA-512 rounds with a stride of 2
        assertThat(derive(48)).isEqualTo("e9fc8c9be670048cc18ad038134121d05c902302ace01a0e"
                + "388c0a859dcb071468465c0095535175162e73f231115222");
        assertThat(derive(44)).isEqualTo("e9fc8c9be670048cc18ad038134121d05c902302ace01a0e"
                + "388c0a859dcb071468465c0095535175162e73f2");
        assertThat(derive(7)).isEqualTo("e98ce604c1d013");
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> BcryptPbkdf.derive(PASSWORD, SALT, 0, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BcryptPbkdf.derive(PASSWORD, SALT, 16, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
