package org.mpft.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log levels the command's {@code -q} / {@code -v} / {@code -vv} ask for, applied to logback (whose
 * {@link StderrLogging} starts everything at WARN on stderr): {@code -q} errors only, {@code -v} the client's
 * INFO ({@code org.mpft}: restarts, retries, lost paths), {@code -vv} its DEBUG. A logging backend other
 * than logback (a replaced {@code logback.configurationFile} keeps logback) is left alone.
 */
final class LogLevels {

    /** The loggers of the client and the command. */
    static final String MPFT = "org.mpft";

    /** The network library's loggers (its warnings are silenced by {@code -q} too). */
    static final String NETTY = "io.netty";

    private LogLevels() {
    }

    /**
     * Sets the levels.
     *
     * @param quiet     {@code -q}: only errors (when no {@code -v} is given too)
     * @param verbosity the number of {@code -v}: 0 = the configuration's level, 1 = INFO, 2 or more = DEBUG
     */
    static void apply(boolean quiet, int verbosity) {
        Level mpft = verbosity >= 2 ? Level.DEBUG : verbosity == 1 ? Level.INFO : quiet ? Level.ERROR : null;
        set(MPFT, mpft); // null: inherit from the configuration (the root's WARN of StderrLogging)
        set(NETTY, quiet && verbosity == 0 ? Level.ERROR : null);
    }

    private static void set(String name, Level level) {
        if (LoggerFactory.getLogger(name) instanceof Logger logger) {
            logger.setLevel(level);
        }
    }
}
