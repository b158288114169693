package org.mpft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Decides whether one of the process's standard streams is a terminal, the way {@code isatty(fd)} would.
 * {@link System#console()} cannot say it for one stream: it needs standard input and standard output to be
 * terminals too, so {@code mpft get … > out.txt} would lose its progress bar on a perfectly good terminal.
 * Where the system shows the process's open files ({@code /proc/self/fd/N} on Linux), the stream is a
 * terminal when it is a pseudo-terminal ({@code /dev/pts/*}) or a console ({@code /dev/tty*},
 * {@code /dev/console}); elsewhere the answer falls back to {@code System.console() != null}.
 */
final class TerminalCheck {

    /** What the check reads from the system; the real one reads {@code /proc} and the JVM's console. */
    interface Probe {
        /**
         * Where file descriptor {@code fd} of this process points ({@code /dev/pts/3}, {@code pipe:[1234]}, a file),
         * or null when the system does not show it.
         */
        String descriptorTarget(int fd);

        /** True when the JVM has a console ({@link System#console()}). */
        boolean hasConsole();
    }

    /** Standard error's file descriptor. */
    static final int STDERR = 2;

    private final Probe probe;

    /** @param probe where the answers come from */
    TerminalCheck(Probe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** The check of this process: {@code /proc/self/fd} where it exists, else {@link System#console()}. */
    static TerminalCheck system() {
        return new TerminalCheck(new Probe() {
            @Override
            public String descriptorTarget(int fd) {
                Path link = Path.of("/proc/self/fd/" + fd);
                try {
                    return Files.readSymbolicLink(link).toString();
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    return null; // no /proc (macOS, Windows) or not allowed to look
                }
            }

            @Override
            public boolean hasConsole() {
                return System.console() != null;
            }
        });
    }

    /** True when file descriptor {@code fd} (2 = standard error) is a terminal. */
    boolean isTerminal(int fd) {
        String target = probe.descriptorTarget(fd);
        if (target == null) {
            return probe.hasConsole();
        }
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
