package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.client.KnownHostsFile;
import org.mpft.client.OpenSshIdentity;
import org.mpft.client.TransferProgress;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

/**
 * The client library as an embedding program uses it, through its public API only: an OpenSSH key file
 * identity, a known-hosts verifier, {@link FileTransferClient} against a real host process with the real
 * plugin jar, over real QUIC on loopback.
 */
@Timeout(180)
class ClientLibraryIT {

    @TempDir
    static Path work;

    private static HostProcess host;
    private static FileTransferClient client;
    private static int port;
    private static byte[] certificateSha256;
    private static Path key;
    private static Path encryptedKey;

    @BeforeAll
    static void startHost() throws Exception {
        Path keys = Files.createDirectories(work.resolve("keys"));
        key = keygen(keys.resolve("id_ed25519"), "");
        encryptedKey = keygen(keys.resolve("id_ecdsa"), "correct horse", "-t", "ecdsa", "-b", "256");
        Path authorized = Files.writeString(keys.resolve("authorized_keys"),
                Files.readString(Path.of(key + ".pub")) + Files.readString(Path.of(encryptedKey + ".pub")));
        host = HostProcess.builder(work.resolve("host"))
                .user(HostProcess.User.withKey("carol", authorized))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()))
                .pluginProperty("mpft.chunk-size", "1m")
                .start();
        HostProcess.MpftListener listener = host.awaitMpftListener(Duration.ofSeconds(30));
        port = listener.port();
        certificateSha256 = HexFormat.of().parseHex(listener.certificateSha256());
        Files.createDirectories(host.home("carol").resolve("data"));
        client = new FileTransferClient();
    }

    @AfterAll
    static void stopHost() {
        if (client != null) {
            client.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @Test
    void keyIdentityAndPinnedServerDownloadAVerifiedFile() throws Exception {
        Path source = randomFile("data/lib.bin", 5 * 1000 * 1000 + 17, 61);
        Path knownHosts = work.resolve("pinned/known_hosts");
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, "127.0.0.1:" + port + " " + KnownHostsFile.fingerprint(certificateSha256) + "\n");
        KnownHostsFile verifier = new KnownHostsFile(knownHosts, KnownHostsFile.UnknownServerPolicy.REFUSE);
        Path output = Files.createDirectories(work.resolve("out")).resolve("lib.bin");
        DownloadRequest request = new DownloadRequest("carol", "127.0.0.1", port, "data/lib.bin", output,
                new Credentials.Key(OpenSshIdentity.load(key)), verifier, Strategy.SERVER_DEFAULT, true,
                DownloadRequest.DEFAULT_RETRIES, false);

        List<TransferProgress> updates = new CopyOnWriteArrayList<>();
        DownloadResult result = client.download(request, updates::add);

        assertThat(Files.mismatch(output, source)).isEqualTo(-1);
        assertThat(result.sha256()).isEqualTo(sha256(source));
        assertThat(result.file()).isEqualTo(output);
        assertThat(result.bytes()).isEqualTo(Files.size(source));
        assertThat(result.chunks()).isEqualTo(5);
        assertThat(result.resumedChunks()).isZero();
        assertThat(result.retries()).isZero();
        assertThat(result.paths()).singleElement().satisfies(path -> {
            assertThat(path.server()).isEqualTo("127.0.0.1:" + port);
            assertThat(path.role()).isEqualTo("primary");
            assertThat(path.chunks()).isEqualTo(5);
            assertThat(path.bytes()).isEqualTo(Files.size(source));
            assertThat(path.chunkIndices()).containsExactly(0, 1, 2, 3, 4);
            assertThat(path.lost()).isNull();
        });
        assertThat(updates).isNotEmpty();
        assertThat(updates.get(updates.size() - 1).fraction()).isEqualTo(1.0);
        assertThat(request.partFile()).doesNotExist();
        assertThat(request.stateFile()).doesNotExist();
        assertThat(Files.readAllLines(knownHosts)).hasSize(1); // nothing new pinned
    }

    @Test
    void encryptedKeyAndTrustOnFirstUsePinTheServer() throws Exception {
        Path source = randomFile("data/tofu.bin", 300 * 1000, 62);
        Path knownHosts = work.resolve("tofu/.mpft/known_hosts");
        List<String> notices = new CopyOnWriteArrayList<>();
        KnownHostsFile verifier = new KnownHostsFile(knownHosts, KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW,
                notices::add);
        OpenSshIdentity identity = OpenSshIdentity.load(encryptedKey, () -> "correct horse".toCharArray());
        assertThat(identity.keyAlgorithm()).isEqualTo("EC");
        Path output = Files.createDirectories(work.resolve("out")).resolve("tofu.bin");

        DownloadRequest request = DownloadRequest.builder("carol", "127.0.0.1", "data/tofu.bin", output).port(port)
                .credentials(new Credentials.Key(identity)).hostKeys(verifier).build();
        DownloadResult result = client.download(request, progress -> { });

        assertThat(result.sha256()).isEqualTo(sha256(source));
        assertThat(Files.mismatch(output, source)).isEqualTo(-1);
        assertThat(Files.readString(knownHosts)).isEqualTo("127.0.0.1:" + port + " "
                + KnownHostsFile.fingerprint(certificateSha256) + "\n");
        assertThat(notices).singleElement().asString().contains("127.0.0.1:" + port);
    }

    @Test
    void aWrongPinIsRefusedBeforeLogin() throws Exception {
        randomFile("data/pinned.bin", 100 * 1000, 63);
        Path knownHosts = work.resolve("wrong/known_hosts");
        Files.createDirectories(knownHosts.getParent());
        byte[] other = certificateSha256.clone();
        other[0] ^= 1;
        Files.writeString(knownHosts, "127.0.0.1:" + port + " " + KnownHostsFile.fingerprint(other) + "\n");
        KnownHostsFile verifier = new KnownHostsFile(knownHosts, KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW);
        Path output = Files.createDirectories(work.resolve("out")).resolve("pinned.bin");
        DownloadRequest request = new DownloadRequest("carol", "127.0.0.1", port, "data/pinned.bin", output,
                new Credentials.Key(OpenSshIdentity.load(key)), verifier, Strategy.SERVER_DEFAULT, true,
                DownloadRequest.DEFAULT_RETRIES, false);

        assertThatThrownBy(() -> client.download(request, progress -> { }))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(output).doesNotExist();
        assertThat(request.partFile()).doesNotExist();
        assertThat(Files.readAllLines(knownHosts)).hasSize(1); // the changed certificate is not pinned
    }

    private static Path keygen(Path file, String passphrase, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-N", passphrase, "-C",
                "carol@it", "-f", file.toString()));
        command.addAll(options.length == 0 ? List.of("-t", "ed25519") : List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return file;
    }

    private static Path randomFile(String relative, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = host.home("carol").resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
