package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mpft-host check-config}: every problem named, nothing created, nothing started. */
class CheckConfigCommandTest {

    @TempDir
    Path dir;

    private Path validConfig() throws Exception {
        UserStore.open(dir.resolve("users.properties")).put(new UserAccount("alice",
                PasswordHasher.hash("pw".toCharArray()), null, AccessRules.WHOLE_HOME));
        Files.createDirectories(dir.resolve("data"));
        return Files.writeString(dir.resolve("host.properties"), """
                sftp.bind=127.0.0.1
                sftp.port=2222
                data.dir=data
                users.file=users.properties
                """);
    }

    @Test
    void aValidConfigExitsZeroAndCreatesNothing() throws Exception {
        Path config = validConfig();
        assertThat(CheckConfigCommand.check(config)).isEmpty();
        assertThat(HostMain.run("check-config", "--config", config.toString())).isZero();
        assertThat(dir.resolve("state")).doesNotExist();
        assertThat(dir.resolve("plugins")).doesNotExist();
        assertThat(dir.resolve("host.key")).doesNotExist();
    }

    @Test
    void aHostKeyTheHostMadeIsValid() throws Exception {
        Path config = validConfig();
        Files.writeString(config, "sftp.port=0\n", java.nio.file.StandardOpenOption.APPEND);
        Host.start(HostSettings.load(config)).close();
        assertThat(dir.resolve("host.key")).exists();
        byte[] key = Files.readAllBytes(dir.resolve("host.key"));
        assertThat(CheckConfigCommand.check(config)).isEmpty();
        assertThat(Files.readAllBytes(dir.resolve("host.key"))).isEqualTo(key);
    }

    @Test
    void everyBadKeyIsNamedAtOnce() throws Exception {
        Files.writeString(dir.resolve("host.properties"), """
                sftp.port=twenty-two
                files.allow-hard-links=maybe
                data.dir=data
                users.file=nobody.properties
                colour=blue
                """);
        List<String> problems = CheckConfigCommand.check(dir.resolve("host.properties"));
        assertThat(String.join("\n", problems))
                .contains("key 'colour': unknown key")
                .contains("key 'sftp.port'")
                .contains("key 'files.allow-hard-links'")
                .contains("key 'users.file': no such file: " + dir.resolve("nobody.properties"));
        assertThat(HostMain.run("check-config", "--config", dir.resolve("host.properties").toString()))
                .isEqualTo(HostMain.EXIT_CONFIG);
    }

    @Test
    void aMissingRequiredKeyIsNamed() throws Exception {
        Files.writeString(dir.resolve("host.properties"), "data.dir=data\n");
        assertThat(CheckConfigCommand.check(dir.resolve("host.properties")))
                .anySatisfy(p -> assertThat(p).contains("key 'users.file': missing"));
    }

    @Test
    void unusableFilesAreNamedWithTheirKey() throws Exception {
        Path config = validConfig();
        Files.delete(dir.resolve("data"));
        Files.writeString(dir.resolve("data"), "a file, not a folder");
        Files.writeString(dir.resolve("host.key"), "not a key");
        Files.writeString(config, "plugins.dir=users.properties\n", java.nio.file.StandardOpenOption.APPEND);
        List<String> problems = CheckConfigCommand.check(config);
        assertThat(String.join("\n", problems))
                .contains("key 'data.dir': not a folder: " + dir.resolve("data"))
                .contains("key 'host.key'")
                .contains("key 'plugins.dir': not a folder");
        assertThat(Files.readString(dir.resolve("host.key"))).isEqualTo("not a key");
    }

    @Test
    void thePackagedConfigHasOnlyKnownWellFormedKeys() throws Exception {
        // the config that the systemd unit and the container image use (its folders exist only there)
        HostSettings packaged = HostSettings.load(Path.of("packaging/host.properties"));
        assertThat(packaged.dataDir()).isEqualTo(Path.of("/var/lib/mpft-host/data"));
        assertThat(packaged.pluginsDir()).isEqualTo(Path.of("/etc/mpft-host/plugins"));
    }

    @Test
    void aMissingConfigFileIsNamed() {
        assertThat(CheckConfigCommand.check(dir.resolve("none.properties")))
                .containsExactly("no such config file: " + dir.resolve("none.properties"));
    }

    @Test
    void pluginPropertiesGivenMustExistAndHaveAPluginToCheckThem() throws Exception {
        Path config = validConfig();
        Path none = dir.resolve("none-plugin.properties");
        assertThat(CheckConfigCommand.check(config, none))
                .containsExactly("plugin properties: no such file: " + none);
        assertThat(HostMain.run("check-config", "--config", config.toString(), "--plugin-properties", none.toString()))
                .isEqualTo(HostMain.EXIT_CONFIG);
        // no plugins folder, or one without a plugin: nothing could check the file (the real plugin:
        // PluginCheckConfigIT)
        Path given = Files.writeString(dir.resolve("plugin.properties"), "mpft.window=8\n");
        assertThat(CheckConfigCommand.check(config, given)).singleElement().satisfies(p -> assertThat(p)
                .contains("plugin properties " + given + ": no plugin channel in " + dir.resolve("plugins")));
        Files.createDirectories(dir.resolve("plugins"));
        assertThat(CheckConfigCommand.check(config, given))
                .containsExactly("plugin properties " + given + ": no plugin channel in " + dir.resolve("plugins")
                        + " to check them");
        // without the option, a host without plugins is valid
        assertThat(CheckConfigCommand.check(config)).isEmpty();
    }
}
