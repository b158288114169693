package org.mpft.cli;

import java.io.Console;

/**
 * The user's terminal, for questions and password prompts; absent (null) when the command runs without
 * a console (piped, in a script, in CI). Tests substitute answers.
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

    /** The process's console, or null when there is none ({@link System#console()}). */
    static Terminal system() {
        Console console = System.console();
        if (console == null) {
            return null;
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
