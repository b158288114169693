package org.mpft.example;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.mpft.api.HostContext;
import org.mpft.api.tck.HostContextContract;
import org.mpft.api.tck.HostFixture;
import org.mpft.sshd.MpftSshd;

/** The host TCK against the example server: its real users file, server and roots, through mpft-sshd. */
class ExampleHostContractTest extends HostContextContract {

    @Override
    protected HostFixture createFixture(Path dir) {
        return new ExampleFixture(dir);
    }

    /** The example server in-process on 127.0.0.1, port 0; its own protocol is SFTP with a password. */
    static final class ExampleFixture implements HostFixture {

        private final Path dir;
        private final List<String> lines = new ArrayList<>();
        private SshServer sshd;
        private SshClient client;

        ExampleFixture(Path dir) {
            this.dir = dir;
        }

        @Override
        public void addUser(String name, String password, List<String> authorizedKeys) {
            List<String> credentials = new ArrayList<>(authorizedKeys);
            if (password != null) {
                credentials.add(0, PasswordHash.hash(password.toCharArray()));
            }
            lines.add(name + " = " + String.join(", ", credentials));
        }

        @Override
        public HostContext start(Path dataFolder) throws Exception {
            Path usersFile = Files.write(dir.resolve("users.properties"), lines, StandardCharsets.UTF_8);
            ExampleUsers users = ExampleUsers.read(usersFile);
            sshd = ExampleServer.create(users, dir.resolve("root"), dir.resolve("host.key"), "127.0.0.1", 0);
            sshd.start();
            client = SshClient.setUpDefaultClient();
            client.start();
            MpftSshd.Builder mpft = MpftSshd.builder(sshd).knownUsers(users::contains);
            return new HostContext(mpft.authenticator(), mpft.fileAccess(), dataFolder, Map.of());
        }

        @Override
        public Path root(String user) {
            return dir.resolve("root").resolve(user);
        }

        @Override
        public boolean allowsHardLinks() {
            return false;
        }

        @Override
        public boolean restrictReadTo(String user, String folder) {
            return false; // the example has no per-path rules: a user reads its whole root
        }

        @Override
        public byte[] readWithOwnProtocol(String user, String password, String path) throws IOException {
            try (ClientSession session = client.connect(user, "127.0.0.1", sshd.getPort())
                    .verify(Duration.ofSeconds(30)).getSession()) {
                session.addPasswordIdentity(password);
                session.auth().verify(Duration.ofSeconds(30));
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
                     InputStream in = sftp.read(path)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    in.transferTo(out);
                    return out.toByteArray();
                } catch (IOException e) {
                    return null; // the SFTP server refused (SftpException: no such file, permission denied ...)
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (client != null) {
                client.stop();
            }
            if (sshd != null) {
                sshd.stop(true);
            }
        }
    }
}
