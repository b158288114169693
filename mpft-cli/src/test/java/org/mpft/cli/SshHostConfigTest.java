package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshHostConfigTest {

    @TempDir
    Path home;

    private Path config(String text) throws IOException {
        Path file = home.resolve(".ssh/config");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void aHostAliasGivesHostNameUserAndIdentityFilesButNotThePort() throws Exception {
        Path file = config("""
                Host files
                    HostName 127.0.0.1
                    Port 2222
                    User alice
                    IdentityFile ~/.ssh/files_key
                    IdentityFile %d/other_key
                Host *
                    User everyone
                    IdentityFile ~/.ssh/fallback
                """);
        SshHostConfig files = SshHostConfig.resolve(file, false, "files", home);
        assertThat(files.hostName()).isEqualTo("127.0.0.1");
        // the first value wins, as with ssh: the Host files entry's User, not Host *'s
        assertThat(files.user()).isEqualTo("alice");
        // ~ and %d are the home folder mpft uses ($HOME), not the password database's
        assertThat(files.identityFiles()).containsExactly(home.resolve(".ssh/files_key"), home.resolve("other_key"),
                home.resolve(".ssh/fallback"));

        SshHostConfig other = SshHostConfig.resolve(file, false, "other.example", home);
        assertThat(other.hostName()).isEqualTo("other.example");
        assertThat(other.user()).isEqualTo("everyone");
    }

    @Test
    void noUserNoHostNameNoFile() throws Exception {
        Path file = config("Host files\n    HostName 10.0.0.1\n");
        SshHostConfig other = SshHostConfig.resolve(file, false, "elsewhere", home);
        assertThat(other).isEqualTo(new SshHostConfig("elsewhere", SshHostConfig.LOCAL_USER, List.of()));
        assertThat(SshHostConfig.resolve(file, false, "files", home).user()).isEqualTo(System.getProperty("user.name"));
        Path missing = home.resolve("nothing");
        assertThat(SshHostConfig.resolve(missing, false, "files", home))
                .isEqualTo(new SshHostConfig("files", SshHostConfig.LOCAL_USER, List.of()));
        // a file named with -F must exist
        assertThatThrownBy(() -> SshHostConfig.resolve(missing, true, "files", home))
                .hasMessageContaining("the ssh configuration " + missing + " does not exist");
    }
}
