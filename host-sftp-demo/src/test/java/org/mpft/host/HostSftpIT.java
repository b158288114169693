package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real host in-process on 127.0.0.1, port 0, driven by the real OpenSSH sftp client. */
@Timeout(120)
class HostSftpIT {

    @TempDir
    Path dir;

    private Host host;
    private Path key;
    private byte[] content;

    @BeforeEach
    void startHost() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        key = OpenSsh.ed25519Key(work, "id_ed25519");
        Path data = dir.resolve("data");
        Path alice = Files.createDirectories(data.resolve("alice"));
        Files.createDirectories(alice.resolve("pub"));
        Files.createDirectories(alice.resolve("private"));
        content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        Files.write(alice.resolve("pub/data.bin"), content);
        Files.writeString(alice.resolve("private/secret.txt"), "secret");

        Path usersFile = dir.resolve("users.properties");
        UserStore users = UserStore.open(usersFile);
        users.put(new UserAccount("alice", PasswordHasher.hash("alice-pw".toCharArray()), Path.of(key + ".pub"),
                AccessRules.of(List.of("/pub"), List.of("/pub"))));
        Path config = Files.writeString(dir.resolve("host.properties"), """
                sftp.bind=127.0.0.1
                sftp.port=0
                data.dir=data
                users.file=users.properties
                """);
        host = Host.start(HostSettings.load(config));
        assertThat(host.readyLine()).isEqualTo("mpft-host ready sftp=127.0.0.1:" + host.sftpPort());
    }

    @AfterEach
    void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void opensshDownloadsByteIdenticalWithAnEd25519Key() throws Exception {
        Path work = dir.resolve("work");
        OpenSsh.Result r = OpenSsh.sftp(key, "alice", host.sftpPort(), work, "pwd", "get pub/data.bin got.bin");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("Remote working directory: /");
        assertThat(Files.readAllBytes(work.resolve("got.bin"))).isEqualTo(content);
    }

    @Test
    void opensshIsRefusedAFileOutsideTheReadRules() throws Exception {
        Path work = dir.resolve("work");
        OpenSsh.Result r = OpenSsh.sftp(key, "alice", host.sftpPort(), work, "get private/secret.txt");
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("Permission denied");
        assertThat(work.resolve("secret.txt")).doesNotExist();

        OpenSsh.Result up = OpenSsh.sftp(key, "alice", host.sftpPort(), work, "get /../alice/pub/data.bin");
        assertThat(up.exitCode()).as(up.output()).isNotZero();
    }

    @Test
    void unknownKeyIsRefused() throws Exception {
        Path other = OpenSsh.ed25519Key(dir.resolve("work"), "other");
        OpenSsh.Result r = OpenSsh.sftp(other, "alice", host.sftpPort(), dir.resolve("work"), "pwd");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("Permission denied");
    }

    @Test
    void passwordLoginWithMinaClient() throws Exception {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.start();
            try (ClientSession session = client.connect("alice", "127.0.0.1", host.sftpPort())
                    .verify(Duration.ofSeconds(10)).getSession()) {
                session.addPasswordIdentity("alice-pw");
                session.auth().verify(Duration.ofSeconds(10));
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    try (var in = sftp.read("/pub/data.bin")) {
                        in.transferTo(got);
                    }
                    assertThat(got.toByteArray()).isEqualTo(content);
                    assertThatThrownBy(() -> sftp.read("/private/secret.txt").read())
                            .isInstanceOf(SftpException.class).hasMessageContaining("denied");
                    try (var out = sftp.write("/pub/up.txt")) {
                        out.write("uploaded".getBytes());
                    }
                    assertThat(dir.resolve("data/alice/pub/up.txt")).hasContent("uploaded");
                    assertThatThrownBy(() -> sftp.mkdir("/private/x")).isInstanceOf(SftpException.class);
                }
            }
            try (ClientSession session = client.connect("alice", "127.0.0.1", host.sftpPort())
                    .verify(Duration.ofSeconds(10)).getSession()) {
                session.addPasswordIdentity("wrong");
                assertThatThrownBy(() -> session.auth().verify(Duration.ofSeconds(10))).isInstanceOf(IOException.class);
            }
        }
    }
}
