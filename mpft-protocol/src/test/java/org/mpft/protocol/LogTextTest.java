package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void lineBreaksAndTerminalEscapesCannotForgeOrRecolourALogLine() {
        String hostile = "evil\nINFO mpft: login of 'root' ok\r\u001b[31mred\u001b[0m\u2028\u202eexe.txt\tend\\";
        String quoted = LogText.quote(hostile);
        assertThat(quoted).doesNotContain("\n", "\r", "\u001b", "\u2028", "\u202e", "\t");
        assertThat(quoted).isEqualTo("evil\\nINFO mpft: login of 'root' ok\\r\\u001b[31mred\\u001b[0m\\u2028"
                + "\\u202eexe.txt\\tend\\\\");
    }

    @Test
    void plainTextIsKeptAsItIsAndNullIsNamed() {
        assertThat(LogText.quote("alice/dir/файл 1.bin")).isEqualTo("alice/dir/файл 1.bin");
        assertThat(LogText.quote(null)).isEqualTo("null");
        assertThat(LogText.quote(42)).isEqualTo("42");
    }

    @Test
    void longTextIsCut() {
        String quoted = LogText.quote("x".repeat(10_000));
        assertThat(quoted).hasSize(LogText.MAX_CHARS + 3).endsWith("...");
        assertThat(LogText.quote("y".repeat(LogText.MAX_CHARS))).isEqualTo("y".repeat(LogText.MAX_CHARS));
        assertThat(LogText.quote("\n".repeat(LogText.MAX_CHARS))).as("escapes count toward the bound")
                .hasSize(LogText.MAX_CHARS + 3);
    }
}
