package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Against the real logback as {@link StderrLogging} configures it (root WARN). */
class LogLevelsTest {

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }

    @AfterEach
    void restore() {
        LogLevels.apply(false, 0);
        logger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }

    @Test
    void defaultIsTheConfigurationsWarn() {
        LogLevels.apply(false, 0);
        assertThat(logger("org.mpft.client.DownloadTask").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void vIsInfoAndVvIsDebugOfTheClient() {
        LogLevels.apply(false, 1);
        assertThat(logger("org.mpft.client.DownloadTask").getEffectiveLevel()).isEqualTo(Level.INFO);
        LogLevels.apply(false, 2);
        assertThat(logger("org.mpft.client.DownloadTask").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        LogLevels.apply(false, 3);
        assertThat(logger("org.mpft.client.DownloadTask").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(logger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void quietIsErrorsOnly() {
        LogLevels.apply(true, 0);
        assertThat(logger("org.mpft.client.DownloadTask").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(logger("io.netty.handler").getEffectiveLevel()).isEqualTo(Level.ERROR);
    }
}
