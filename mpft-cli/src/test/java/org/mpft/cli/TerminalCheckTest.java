package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The probe is a stub: a test cannot open a real terminal on fd 2 of its own JVM. */
class TerminalCheckTest {

    private static TerminalCheck check(String target, boolean console) {
        return new TerminalCheck(new TerminalCheck.Probe() {
            @Override
            public String descriptorTarget(int fd) {
                assertThat(fd).isEqualTo(TerminalCheck.STDERR);
                return target;
            }

            @Override
            public boolean hasConsole() {
                return console;
            }
        });
    }

    @Test
    void pseudoTerminalsAndConsolesAreTerminals() {
        assertThat(check("/dev/pts/3", false).isTerminal(2)).isTrue();
        assertThat(check("/dev/tty1", false).isTerminal(2)).isTrue();
        assertThat(check("/dev/ttyS0", false).isTerminal(2)).isTrue();
        assertThat(check("/dev/console", false).isTerminal(2)).isTrue();
    }

    @Test
    void filesAndPipesAreNotEvenWithAConsole() {
        // stdin and stdout on a terminal (System.console() present), stderr to a log file: no bar in the log
        assertThat(check("/var/log/mpft.log", true).isTerminal(2)).isFalse();
        assertThat(check("pipe:[123456]", true).isTerminal(2)).isFalse();
        assertThat(check("/dev/null", true).isTerminal(2)).isFalse();
        assertThat(check("socket:[99]", true).isTerminal(2)).isFalse();
    }

    @Test
    void withoutProcTheConsoleDecides() {
        assertThat(check(null, true).isTerminal(2)).isTrue();
        assertThat(check(null, false).isTerminal(2)).isFalse();
    }

    @Test
    void theRealProbeAnswersForThisProcess() {
        // under Maven stderr is a pipe or a file, never a terminal
        assertThat(TerminalCheck.system().isTerminal(TerminalCheck.STDERR)).isFalse();
    }
}
