package org.mpft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** How a command reports the error that ends it: one {@code mpft: } line on stderr, the JSON failure object with
 * {@code --json}, and the stack trace with {@code -v}. */
final class FailureReport {

    private FailureReport() {
    }

    /**
     * Reports a failure.
     *
     * @return {@code exitCode}, for the command to return
     */
    static int print(CliEnvironment env, boolean json, boolean verbose, int exitCode, String message, Throwable cause) {
        env.err().println("mpft: " + message);
        if (json) {
            env.out().println(JsonSummary.failure(exitCode, message));
            env.out().flush();
        }
        if (verbose && cause != null) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            env.err().print(trace);
        }
        env.err().flush();
        return exitCode;
    }
}
