package org.mpft.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.mpft.api.HostContext;
import org.mpft.api.tck.HostContextContract;
import org.mpft.api.tck.HostFixture;

/**
 * The host TCK against the reference host: the real {@link Host} (SFTP on 127.0.0.1, port 0) and the
 * plugins' {@link HostAuthenticator} and {@link HostFileAccess} on the same users file and homes.
 */
class DemoHostContractTest extends HostContextContract {

    @Override
    protected HostFixture createFixture(Path dir) {
        return new DemoFixture(dir);
    }

    /** One reference host; its own protocol is SFTP with a password (MINA's client). */
    static final class DemoFixture implements HostFixture {

        private final Path dir;
        private final List<UserAccount> pending = new ArrayList<>();
        private UserStore users;
        private Host host;
        private SshClient client;

        DemoFixture(Path dir) {
            this.dir = dir;
        }

        @Override
        public void addUser(String name, String password, List<String> authorizedKeys) throws IOException {
            Path keys = null;
            if (!authorizedKeys.isEmpty()) {
                keys = Files.write(Files.createDirectories(dir.resolve("keys")).resolve(name + ".pub"), authorizedKeys);
            }
            pending.add(new UserAccount(name, password == null ? null : PasswordHasher.hash(password.toCharArray()),
                    keys, AccessRules.WHOLE_HOME));
        }

        @Override
        public HostContext start(Path dataFolder) throws Exception {
            Path usersFile = dir.resolve("users.properties");
            users = UserStore.open(usersFile);
            for (UserAccount account : pending) {
                users.put(account);
                Files.createDirectories(dir.resolve("data").resolve(account.name()));
            }
            Path config = Files.writeString(dir.resolve("host.properties"), """
                    sftp.bind=127.0.0.1
                    sftp.port=0
                    data.dir=data
                    users.file=users.properties
                    """);
            host = Host.start(HostSettings.load(config));
            client = SshClient.setUpDefaultClient();
            client.start();
            HomeResolver resolver = new HomeResolver(dir.resolve("data"));
            return new HostContext(new HostAuthenticator(users), new HostFileAccess(users, resolver), dataFolder, Map.of());
        }

        @Override
        public Path root(String user) {
            return dir.resolve("data").resolve(user);
        }

        @Override
        public boolean allowsHardLinks() {
            return false; // files.allow-hard-links defaults to false
        }

        @Override
        public boolean restrictReadTo(String user, String folder) throws IOException {
            UserAccount account = users.find(user).orElseThrow();
            users.put(new UserAccount(account.name(), account.passwordHash(), account.authorizedKeys(),
                    AccessRules.of(List.of(folder), List.of(folder))));
            return true;
        }

        @Override
        public byte[] readWithOwnProtocol(String user, String password, String path) throws IOException {
            try (ClientSession session = client.connect(user, "127.0.0.1", host.sftpPort())
                    .verify(Duration.ofSeconds(30)).getSession()) {
                session.addPasswordIdentity(password);
                session.auth().verify(Duration.ofSeconds(30));
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
                     InputStream in = sftp.read(path)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    in.transferTo(out);
                    return out.toByteArray();
                } catch (IOException e) {
                    return null; // refused by SFTP (no such file, permission denied ...)
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (client != null) {
                client.stop();
            }
            if (host != null) {
                host.close();
            }
        }
    }
}
