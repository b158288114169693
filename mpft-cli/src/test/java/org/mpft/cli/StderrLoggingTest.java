package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StderrLoggingTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(StderrLogging.CONFIGURATION_FILE);
    }

    @Test
    void logbackFindsItAsAServiceAndStartsAtWarnOnStderr() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class, appender -> {
            assertThat(appender.getTarget()).isEqualTo("System.err");
            assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).isEqualTo(StderrLogging.PATTERN);
        });
    }

    @Test
    void configuresAFreshContext() {
        LoggerContext context = new LoggerContext();
        assertThat(new StderrLogging().configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR").isStarted()).isTrue();
        context.stop();
    }

    @Test
    void aConfigurationFileOfTheUsersOwnWins() {
        System.setProperty(StderrLogging.CONFIGURATION_FILE, "/tmp/my-logback.xml");
        LoggerContext context = new LoggerContext();
        assertThat(new StderrLogging().configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
        context.stop();
    }
}
