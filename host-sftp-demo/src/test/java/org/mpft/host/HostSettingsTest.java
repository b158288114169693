package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostSettingsTest {

    @TempDir
    Path dir;

    private Path config(String text) throws IOException {
        return Files.writeString(dir.resolve("host.properties"), text);
    }

    @Test
    void defaultsAndRelativePaths() throws Exception {
        HostSettings s = HostSettings.load(config("data.dir=data\nusers.file=users.properties\n"));
        assertThat(s.sftpBind()).isEqualTo("127.0.0.1");
        assertThat(s.sftpPort()).isEqualTo(2222);
        assertThat(s.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(s.usersFile()).isEqualTo(dir.resolve("users.properties"));
        assertThat(s.pluginsDir()).isEqualTo(dir.resolve("plugins"));
        assertThat(s.hostKey()).isEqualTo(dir.resolve("host.key"));
        assertThat(s.stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(s.pluginDataDir("mpft")).isEqualTo(dir.resolve("state/plugins/mpft"));
        assertThat(s.allowHardLinks()).as("files.allow-hard-links defaults to false").isFalse();
    }

    @Test
    void hardLinksAreAllowedOnlyByTrueAndABadValueIsNamed() throws Exception {
        assertThat(HostSettings.load(config("data.dir=d\nusers.file=u\nfiles.allow-hard-links=true\n"))
                .allowHardLinks()).isTrue();
        assertThatThrownBy(() -> HostSettings.load(config("data.dir=d\nusers.file=u\nfiles.allow-hard-links=yes\n")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("files.allow-hard-links");
    }

    @Test
    void everyKeyIsRead() throws Exception {
        HostSettings s = HostSettings.load(config("""
                sftp.bind=0.0.0.0
                sftp.port=0
                data.dir=/srv/data
                users.file=etc/users
                plugins.dir=p
                host.key=keys/hk
                state.dir=/var/lib/h1
                """));
        assertThat(s.sftpBind()).isEqualTo("0.0.0.0");
        assertThat(s.sftpPort()).isZero();
        assertThat(s.dataDir()).isEqualTo(Path.of("/srv/data"));
        assertThat(s.usersFile()).isEqualTo(dir.resolve("etc/users"));
        assertThat(s.pluginsDir()).isEqualTo(dir.resolve("p"));
        assertThat(s.hostKey()).isEqualTo(dir.resolve("keys/hk"));
        assertThat(s.stateDir()).isEqualTo(Path.of("/var/lib/h1"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sftp.port=abc                 | sftp.port",
        "sftp.port=70000               | sftp.port",
        "sftp.port=-1                  | sftp.port",
        "sftp.bind=no.such.host.invalid | sftp.bind",
        "sftp.prot=22                  | sftp.prot",
    })
    void badKeyIsNamed(String line, String key) throws IOException {
        Path file = config("data.dir=data\nusers.file=users\n" + line + "\n");
        assertThatThrownBy(() -> HostSettings.load(file)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("'" + key + "'")
                .extracting(e -> ((SettingsException) e).key()).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource({"data.dir", "users.file"})
    void missingRequiredKeyIsNamed(String key) throws IOException {
        Map<String, String> values = new HashMap<>(Map.of("data.dir", "d", "users.file", "u"));
        values.remove(key);
        assertThatThrownBy(() -> HostSettings.parse(dir.resolve("c.properties"), values))
                .hasMessageContaining("'" + key + "'").hasMessageContaining("missing");
    }

    @Test
    void folderThatCannotBeCreatedIsNamed() throws Exception {
        Files.writeString(dir.resolve("users"), "");
        Files.writeString(dir.resolve("afile"), "");
        HostSettings s = HostSettings.load(config("data.dir=afile/data\nusers.file=users\n"));
        assertThatThrownBy(s::prepareFolders).hasMessageContaining("'data.dir'");
        HostSettings t = HostSettings.load(config("data.dir=d\nusers.file=users\nstate.dir=afile\n"));
        assertThatThrownBy(t::prepareFolders).hasMessageContaining("'state.dir'");
    }

    @Test
    void missingOrUnreadableUsersFileIsNamed() throws Exception {
        HostSettings s = HostSettings.load(config("data.dir=d\nusers.file=nope\n"));
        assertThatThrownBy(s::prepareFolders).hasMessageContaining("'users.file'");
        HostSettings t = HostSettings.load(config("data.dir=d\nusers.file=d\n"));
        assertThatThrownBy(t::prepareFolders).hasMessageContaining("'users.file'");
    }

    @Test
    void prepareCreatesFolders() throws Exception {
        Files.writeString(dir.resolve("users"), "");
        HostSettings s = HostSettings.load(config("data.dir=a/data\nusers.file=users\nhost.key=k/host.key\n"));
        s.prepareFolders();
        assertThat(dir.resolve("a/data")).isDirectory();
        assertThat(dir.resolve("plugins")).isDirectory();
        assertThat(dir.resolve("state")).isDirectory();
        assertThat(dir.resolve("k")).isDirectory();
    }
}
