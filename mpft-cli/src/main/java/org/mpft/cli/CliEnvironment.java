package org.mpft.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the command takes from its process, so tests can run it in-process.
 *
 * @param out           standard output (the summary, the JSON line)
 * @param err           standard error (messages, the progress bar)
 * @param stderrTerminal true when standard error is a terminal (the progress bar), false for a plain line
 *                      every few seconds
 * @param terminal      the user's terminal for prompts, or null when there is none
 * @param environment   reads an environment variable (null when unset)
 * @param home          the user's home folder ({@code ~/.mpft/known_hosts})
 * @param downloaders   makes the network client
 * @param shutdownHooks true to cancel the download on Ctrl-C (false in tests)
 */
record CliEnvironment(PrintStream out, PrintStream err, boolean stderrTerminal, Terminal terminal,
                      Function<String, String> environment, Path home, Supplier<Downloader> downloaders, boolean shutdownHooks) {

    CliEnvironment {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(downloaders, "downloaders");
    }

    /**
     * The real process: System.out/err, whether stderr is a terminal ({@link TerminalCheck}), the console or
     * {@code /dev/tty} ({@link Terminal#system()}), System.getenv, the home folder ($HOME when set,
     * else the JVM's user.home, which comes from the password database), the network client.
     */
    static CliEnvironment system() {
        String home = System.getenv("HOME");
        return new CliEnvironment(System.out, System.err,
                TerminalCheck.system().isTerminal(TerminalCheck.STDERR), Terminal.system(), System::getenv,
                Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")),
                ClientDownloader::new, true);
    }
}
