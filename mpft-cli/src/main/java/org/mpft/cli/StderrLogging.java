package org.mpft.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The command's logging, set up in code (logback finds it as a service): warnings and errors on stderr as
 * {@code mpft: LEVEL logger: message}, so that stdout stays clean for {@code --json}; {@link LogLevels} then applies
 * {@code -q} and {@code -v}. In code, because parsing an XML configuration costs about 45 ms of every run. A
 * configuration file named with {@code -Dlogback.configurationFile} still wins: this configurator then steps aside.
 */
public final class StderrLogging extends ContextAwareBase implements Configurator {

    /** The line format on stderr. */
    static final String PATTERN = "mpft: %level %logger{20}: %msg%n";

    /** The property that names a logback configuration file of the user's own. */
    static final String CONFIGURATION_FILE = "logback.configurationFile";

    /** For the service loader. */
    public StderrLogging() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(CONFIGURATION_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
