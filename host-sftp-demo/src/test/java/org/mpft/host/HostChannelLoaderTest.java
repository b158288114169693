package org.mpft.host;

import org.mpft.sshd.ChannelLoader;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.host.testplugin.FailingChannel;
import org.mpft.host.testplugin.RecordingChannel;
import org.slf4j.LoggerFactory;

@Timeout(60)
class HostChannelLoaderTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ChannelLoader.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void startsGoodChannelsAndLogsEachFailureInOneLine() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.write(plugins.resolve("good.jar"), "good", RecordingChannel.class);
        PluginJars.write(plugins.resolve("bad.jar"), "bad", FailingChannel.class);
        Files.writeString(plugins.resolve("broken.jar"), "not a zip");
        Files.writeString(plugins.resolve(ChannelLoader.CONFIG_FILE), "greeting=hello\nmpft.port=4433\n");
        Path state = dir.resolve("state");
        UserStore users = UserStore.open(dir.resolve("users"));
        HomeResolver resolver = new HomeResolver(dir.resolve("data"));

        ChannelLoader host = new ChannelLoader(plugins, id -> state.resolve("plugins").resolve(id),
                new HostAuthenticator(users), new HostFileAccess(users, resolver), java.util.Map.of());
        host.start();

        assertThat(host.channels()).containsExactly("good/recording");
        assertThat(state.resolve("plugins/good/started")).hasContent("hello");
        List<String> errors = log.list.stream().filter(e -> e.getLevel().toString().equals("ERROR"))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(errors).hasSize(2);
        assertThat(errors).anySatisfy(m -> assertThat(m).contains("'bad'").contains("failing")
                .contains("test.port: port 1 is not available").doesNotContain("\n"));
        assertThat(errors).anySatisfy(m -> assertThat(m).contains("broken.jar").doesNotContain("\n"));
        assertThat(errors).noneSatisfy(m -> assertThat(m).contains(ChannelLoader.CONFIG_FILE));

        host.close();
        assertThat(state.resolve("plugins/good/stopped")).hasContent("yes");
        assertThat(host.channels()).isEmpty();
        host.close();
    }

    @Test
    void emptyPluginsFolderStartsNothing() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        UserStore users = UserStore.open(dir.resolve("users"));
        ChannelLoader host = new ChannelLoader(plugins, id -> dir.resolve(id), new HostAuthenticator(users),
                new HostFileAccess(users, new HomeResolver(dir)), java.util.Map.of());
        host.start();
        assertThat(host.channels()).isEmpty();
        host.close();
    }

    @Test
    void configurationIsEveryKeyUnmodifiable() throws Exception {
        Path file = Files.writeString(dir.resolve("plugin.properties"), "a=1\nb = two words\n");
        var config = ChannelLoader.readConfig(file);
        assertThat(config).containsOnly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "two words"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.put("c", "3"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(ChannelLoader.readConfig(dir.resolve("none"))).isEmpty();
    }
}
