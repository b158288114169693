package org.mpft.cli;

import java.io.Console;

/**
 * The user's terminal, for questions and password prompts; absent (null) when the command runs without
 * one (a cron job, CI, a process started without a controlling terminal). Tests substitute answers.
 */
interface Terminal {

    /**
     * Asks a question and reads one line.
     *
     * @return the answer, or null at end of input
     */
    String readLine(String prompt);

    /**
     * Asks for a secret without echo.
     *
     * @return the secret, or null at end of input
     */
    char[] readPassword(String prompt);

    /**
     * The process's terminal: the JVM's console when standard input and output are both a terminal, else the
     * controlling terminal {@code /dev/tty} (as ssh asks: {@code mpft get … --json | jq} still gets its
     * password prompt), else null.
     */
    static Terminal system() {
        Console console = System.console();
        if (console == null) {
            return TtyTerminal.open();
        }
        return new Terminal() {
            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }

            @Override
            public char[] readPassword(String prompt) {
                return console.readPassword("%s", prompt);
            }
        };
    }
}
