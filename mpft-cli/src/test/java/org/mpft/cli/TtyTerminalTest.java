package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The terminal's streams are strings and its echo a recorder: the real /dev/tty needs a person. */
class TtyTerminalTest {

    private final StringWriter screen = new StringWriter();
    private final List<Boolean> echo = new ArrayList<>();

    private TtyTerminal terminal(String typed) {
        return new TtyTerminal(new StringReader(typed), screen, echo::add);
    }

    @Test
    void promptsGoToTheTerminalAndAnswersComeFromIt() {
        TtyTerminal terminal = terminal("yes\n");
        assertThat(terminal.readLine("Are you sure (yes/no)? ")).isEqualTo("yes");
        assertThat(screen.toString()).isEqualTo("Are you sure (yes/no)? ");
        assertThat(echo).isEmpty();
    }

    @Test
    void passwordsAreReadWithEchoOffAndEchoComesBack() {
        TtyTerminal terminal = terminal("s3cret\r\nnext\n");
        assertThat(terminal.readPassword("alice@h's password: ")).containsExactly('s', '3', 'c', 'r', 'e', 't');
        assertThat(echo).containsExactly(false, true);
        assertThat(screen.toString()).startsWith("alice@h's password: ").endsWith(System.lineSeparator());
        assertThat(terminal.readLine("? ")).isEqualTo("next");
    }

    @Test
    void longPasswordsAndEndOfInput() {
        String longOne = "x".repeat(300);
        TtyTerminal terminal = terminal(longOne);
        assertThat(new String(terminal.readPassword("pw: "))).isEqualTo(longOne);
        assertThat(terminal.readPassword("pw: ")).isNull();
        assertThat(terminal.readLine("? ")).isNull();
        assertThat(echo).containsExactly(false, true, false, true);
    }

    @Test
    void noPasswordWhenTheEchoCannotBeTurnedOff() {
        TtyTerminal terminal = new TtyTerminal(new StringReader("visible\n"), screen, on -> {
            throw new IOException("stty failed");
        });
        assertThat(terminal.readPassword("pw: ")).isNull();
    }
}
