package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.ClientIdentity;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.OpenSshIdentity;
import org.mpft.client.PathSummary;
import org.mpft.client.ProgressListener;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Which identities {@code mpft get} tries, in which order, and how an ssh configuration names the host, the
 * user and the keys. The network is a fake that accepts one public key (a real server is in the
 * integration tests); the keys are real ssh-keygen keys.
 */
@Timeout(120)
class GetCommandLoginTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<DownloadRequest> attempts = Collections.synchronizedList(new ArrayList<>());

    private Path home() {
        return dir.resolve("home");
    }

    private Path keygen(Path file, String type) throws Exception {
        Files.createDirectories(file.getParent());
        Process process;
        try {
            process = new ProcessBuilder("ssh-keygen", "-q", "-N", "", "-t", type, "-f", file.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "ssh-keygen is not installed");
            throw e;
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return file;
    }

    /** Runs the command against a fake server that accepts only {@code accepted}'s public key. */
    private int run(ClientIdentity accepted, String... args) {
        Downloader fake = new Downloader() {
            @Override
            public Running start(DownloadRequest request, ProgressListener listener) {
                attempts.add(request);
                return new Running() {
                    @Override
                    public void cancel() {
                    }

                    @Override
                    public DownloadResult await() throws MpftException {
                        if (!(request.credentials() instanceof Credentials.Key key) || !java.util.Arrays.equals(
                                key.identity().publicKeyX509(), accepted.publicKeyX509())) {
                            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "authentication failed for user "
                                    + request.user());
                        }
                        return new DownloadResult(request.output(), 1, "ab".repeat(32), 1, 1, 0, 0,
                                List.of(new PathSummary(request.server(), "primary", 1, 1, List.of(0))));
                    }
                };
            }

            @Override
            public void close() {
            }
        };
        CliEnvironment env = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, null, Map.<String, String>of()::get, home(),
                () -> fake, false);
        return MpftCommand.run(env, args);
    }

    private List<byte[]> triedKeys() {
        return attempts.stream().map(r -> ((Credentials.Key) r.credentials()).identity().publicKeyX509()).toList();
    }

    @Test
    void theDefaultIdentitiesAreTriedInSshsOrderUntilOneIsAccepted() throws Exception {
        Path ed = keygen(home().resolve(".ssh/id_ed25519"), "ed25519");
        Path ecdsa = keygen(home().resolve(".ssh/id_ecdsa"), "ecdsa");
        Path rsa = keygen(home().resolve(".ssh/id_rsa"), "rsa");
        int exit = run(OpenSshIdentity.load(rsa), "get", "-q", "--direct", "alice@h:7301:f", "-o", dir.toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(triedKeys()).containsExactly(OpenSshIdentity.load(ed).publicKeyX509(),
                OpenSshIdentity.load(ecdsa).publicKeyX509(), OpenSshIdentity.load(rsa).publicKeyX509());
        assertThat(attempts).allSatisfy(r -> assertThat(r.server()).isEqualTo("h:7301"));
    }

    @Test
    void whenEveryKeyIsRefusedTheRefusalIsReported() throws Exception {
        keygen(home().resolve(".ssh/id_ed25519"), "ed25519");
        Path other = keygen(dir.resolve("other"), "ed25519");
        int exit = run(OpenSshIdentity.load(other), "get", "--direct", "alice@h:f", "-o", dir.toString());
        assertThat(exit).isEqualTo(ExitCodes.AUTHENTICATION);
        assertThat(attempts).hasSize(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("authentication failed for user alice");
    }

    @Test
    void anSshConfigHostAliasNamesTheHostTheUserAndTheKey() throws Exception {
        Path key = keygen(home().resolve("keys/files_key"), "ecdsa");
        keygen(home().resolve(".ssh/id_ed25519"), "ed25519"); // not tried: the configuration names a key
        Files.writeString(home().resolve(".ssh/config"), """
                Host files
                    HostName 127.0.0.1
                    Port 22
                    User alice
                    IdentityFile ~/keys/files_key
                """);
        int exit = run(OpenSshIdentity.load(key), "get", "-q", "--direct", "files:7302:data/f", "-o", dir.toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(attempts).hasSize(1);
        DownloadRequest request = attempts.get(0);
        assertThat(request.user()).isEqualTo("alice");
        assertThat(request.server()).isEqualTo("127.0.0.1:7302"); // the QUIC port of the target, not Port 22
        assertThat(triedKeys()).containsExactly(OpenSshIdentity.load(key).publicKeyX509());
    }

    @Test
    void dashFChoosesAnotherConfigurationAndTheTargetsUserWins() throws Exception {
        Path key = keygen(dir.resolve("k"), "ed25519");
        Path config = dir.resolve("my_config");
        Files.writeString(config, "Host alias\n  HostName 10.1.2.3\n  User carol\n  IdentityFile " + key + "\n");
        int exit = run(OpenSshIdentity.load(key), "get", "-q", "--direct", "-F", config.toString(), "bob@alias:f", "-o",
                dir.toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(attempts.get(0).user()).isEqualTo("bob");
        assertThat(attempts.get(0).host()).isEqualTo("10.1.2.3");
        // without a user anywhere: the local user name
        attempts.clear();
        Path bare = dir.resolve("bare_config");
        Files.writeString(bare, "Host alias\n  IdentityFile " + key + "\n");
        assertThat(run(OpenSshIdentity.load(key), "get", "-q", "--direct", "-F", bare.toString(), "alias:f", "-o", dir.toString()))
                .isZero();
        assertThat(attempts.get(0).user()).isEqualTo(System.getProperty("user.name"));
        // a missing -F file is a usage error
        assertThat(run(OpenSshIdentity.load(key), "get", "--direct", "-F", dir.resolve("none").toString(), "alias:f")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist");
    }

    @Test
    void anUnusableDefaultKeyIsSkippedWithANote() throws Exception {
        Files.createDirectories(home().resolve(".ssh"));
        Files.writeString(home().resolve(".ssh/id_ed25519"), "not a key\n");
        Path rsa = keygen(home().resolve(".ssh/id_rsa"), "rsa");
        int exit = run(OpenSshIdentity.load(rsa), "get", "-q", "--direct", "alice@h:f", "-o", dir.toString());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("id_ed25519").contains("skipping it");
        assertThat(attempts).hasSize(1);
    }
}
