package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class OutputNamesTest {

    @TempDir
    Path dest;

    @Test
    void aGoodNameLandsUnderTheDestination() throws Exception {
        assertThat(OutputNames.resolve(dest, "a.txt")).isEqualTo(dest.toAbsolutePath().resolve("a.txt"));
        assertThat(OutputNames.resolve(dest, "dir/sub/données.bin"))
                .isEqualTo(dest.toAbsolutePath().resolve("dir/sub/données.bin"));
        assertThat(OutputNames.resolve(dest, "console.log")).as("only the exact device stems").isNotNull();
        assertThat(OutputNames.resolve(dest, "COM10")).isNotNull();
        assertThat(OutputNames.resolve(dest, ".hidden")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "a/../../x", "a/./b", "a//b", "/etc/passwd", "C:x", "a\\b",
        "a\u0000b", "a\u001bb", "a\u007fb", "name.", "name ", "dir./x", "a/b "})
    void namesThatBreakThePathRuleAreRefused(String name) {
        refused(name, "refused output name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CON", "con", "PRN", "AUX", "NUL", "nul.txt", "COM1", "com9.log", "LPT1", "lpt9",
        "COM0", "COM\u00b9", "dir/NUL", "CON .txt", "CONIN$", "conout$"})
    void windowsDeviceNamesAreRefusedEverywhere(String name) {
        refused(name, "Windows device name");
    }

    @Test
    void aNullNameIsRefused() {
        refused(null, "empty");
    }

    private void refused(String name, String why) {
        assertThatThrownBy(() -> OutputNames.resolve(dest, name)).as(String.valueOf(name))
                .isInstanceOf(MpftException.class)
                .hasMessageContaining(why)
                .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.INVALID_PATH);
    }
}
