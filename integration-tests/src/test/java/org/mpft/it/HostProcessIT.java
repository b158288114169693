package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.host.OpenSsh;

/** Proves the fixture: the real host as a separate JVM, no plugin, the real OpenSSH sftp client. */
@Timeout(180)
class HostProcessIT {

    @TempDir
    Path dir;

    @Test
    void hostWithEmptyPluginsFolderServesSftp() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path key = OpenSsh.ed25519Key(keys, "id_ed25519");
        byte[] content = new byte[1024 * 1024 + 3];
        new Random(7).nextBytes(content);

        try (HostProcess host = HostProcess.builder(dir.resolve("host"))
                .user(HostProcess.User.withKey("alice", Path.of(key + ".pub")).password("alice-pw").read("/pub"))
                .user(HostProcess.User.withPassword("bob", "bob-pw"))
                .start()) {
            assertThat(host.sftpPort()).isPositive();
            assertThat(host.output()).contains("mpft-host ready sftp=127.0.0.1:" + host.sftpPort())
                    .contains("no transfer channel started");
            assertThat(host.pluginsDir()).isEmptyDirectory();
            Files.createDirectories(host.home("alice").resolve("pub"));
            Files.write(host.home("alice").resolve("pub/file.bin"), content);
            Files.writeString(host.home("alice").resolve("private.txt"), "no");

            Path work = Files.createDirectories(dir.resolve("client"));
            OpenSsh.Result ok = OpenSsh.sftp(key, "alice", host.sftpPort(), work, "get pub/file.bin");
            assertThat(ok.exitCode()).as(ok.output() + host.output()).isZero();
            assertThat(Files.readAllBytes(work.resolve("file.bin"))).isEqualTo(content);

            OpenSsh.Result denied = OpenSsh.sftp(key, "alice", host.sftpPort(), work, "get private.txt");
            assertThat(denied.exitCode()).as(denied.output()).isNotZero();
            assertThat(denied.output()).contains("Permission denied");

            host.close();
            assertThat(host.isAlive()).isFalse();
            assertThat(host.output()).contains("mpft-host stopped");
        }
    }

    @Test
    void badConfigFailsFastNamingTheKey() {
        assertThatThrownBy(() -> HostProcess.builder(dir.resolve("bad")).hostProperty("sftp.port", "http").start())
                .isInstanceOf(IOException.class).hasMessageContaining("sftp.port").hasMessageContaining("exited with code 2");
    }

    @Test
    void freePorts() {
        assertThat(FreePorts.tcp()).isBetween(1, 65535);
        assertThat(FreePorts.udp()).isBetween(1, 65535);
        assertThat(FreePorts.tcpAndUdp()).isBetween(1, 65535);
    }
}
