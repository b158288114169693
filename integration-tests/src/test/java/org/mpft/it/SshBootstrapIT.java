package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.host.OpenSsh;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthToken;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Hello;
import org.mpft.protocol.Open;
import org.mpft.protocol.ServerHello;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;

/**
 * The SSH bootstrap with the real OpenSSH client against the demo host: {@code ssh files mpft-offer}, with the
 * user's own {@code ssh_config} (host alias, port, user, key), prints a session offer after the host's SSH login;
 * its token logs that user in over QUIC once, never again, never as another user, and the host's read rules
 * still apply. Every other exec command is refused.
 */
@Timeout(300)
class SshBootstrapIT {

    @TempDir
    static Path keys;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(work -> HostProcess.User.withKey("alice", pub(work, "alice")))
            .user(work -> HostProcess.User.withKey("bob", pub(work, "bob")))
            .user(work -> HostProcess.User.withKey("carol", pub(work, "carol")).read("/pub"))
            .pluginProperty("mpft.auth-failure-delay", "0ms")
            .quiet()
            .build();

    static QuicTransport transport;

    /** The Ed25519 key of {@code user} in the work folder (made on first use); its public half. */
    private static Path pub(Path work, String user) throws IOException, InterruptedException {
        Path key = work.resolve("key-" + user);
        if (!Files.exists(key)) {
            OpenSsh.ed25519Key(work, "key-" + user);
        }
        return work.resolve("key-" + user + ".pub");
    }

    @BeforeAll
    static void start() {
        transport = QuicTransport.create("ssh-bootstrap", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    /** An ssh_config a user would write: alias {@code files} for the demo host, as {@code user} with their key. */
    private static Path config(String user) throws IOException {
        Path config = keys.resolve("ssh_config-" + user);
        Files.writeString(config, String.join("\n",
                "Host files",
                "    HostName 127.0.0.1",
                "    Port " + host.process().sftpPort(),
                "    User " + user,
                "    IdentityFile " + host.work().resolve("key-" + user),
                "    IdentitiesOnly yes",
                "    IdentityAgent none",
                "    BatchMode yes",
                "    UserKnownHostsFile " + keys.resolve("known_hosts"),
                "    StrictHostKeyChecking accept-new",
                "    LogLevel ERROR", ""));
        return config;
    }

    private record Ssh(int exitCode, String out, String err) {
    }

    private static Ssh ssh(String user, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh", "-F", config(user).toString(), "files", command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ssh(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** The offer's key/value lines. */
    private static Map<String, String> offer(String user) throws IOException, InterruptedException {
        Ssh result = ssh(user, "mpft-offer");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = new ArrayList<>(result.out().lines().toList());
        assertThat(lines.get(0)).isEqualTo("mpft-offer 1");
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int space = line.indexOf(' ');
            fields.put(line.substring(0, space), line.substring(space + 1));
        }
        return fields;
    }

    /** A raw QUIC connection to the offered port that sends HELLO and AUTH_TOKEN. */
    private static RawConnection tokenLogin(Map<String, String> offer, String user) throws Exception {
        RawConnection c = new RawConnection(transport, Integer.parseInt(offer.get("port")));
        c.send(new Hello(1, 0, "ssh-bootstrap-it"));
        c.expect(ServerHello.class);
        c.send(new AuthToken(user, Bytes.fromHex(offer.get("token"))));
        return c;
    }

    @Test
    void theOfferNamesTheListenerItsCertificateAndTheSshUser() throws Exception {
        Map<String, String> offer = offer("alice");

        assertThat(offer).containsEntry("user", "alice").containsEntry("port", Integer.toString(host.port()))
                .containsEntry("certificate-sha256", host.fingerprint().replace(":", "").toLowerCase());
        assertThat(offer.get("token")).hasSize(64);
        assertThat(Long.parseLong(offer.get("expires-in-ms"))).isBetween(1L, 60_000L);
    }

    @Test
    void aTokenLogsItsUserInOnceAndIsRefusedWhenReplayed() throws Exception {
        Map<String, String> offer = offer("alice");
        try (RawConnection first = tokenLogin(offer, "alice")) {
            assertThat(first.expect(AuthOk.class).user()).isEqualTo("alice");
        }
        try (RawConnection replay = tokenLogin(offer, "alice")) {
            assertThat(replay.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void aTokenPresentedForAnotherUserIsRefused() throws Exception {
        Map<String, String> offer = offer("alice");
        try (RawConnection asBob = tokenLogin(offer, "bob")) {
            assertThat(asBob.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        }
        try (RawConnection asAlice = tokenLogin(offer, "alice")) {
            assertThat(asAlice.expect(ErrorFrame.class).code()).as("a refused token is used up")
                    .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void theHostsReadRulesStillApplyToATokenLogin() throws Exception {
        Files.createDirectories(host.home("carol").resolve("pub"));
        Files.writeString(host.home("carol").resolve("pub/open.txt"), "open");
        Files.writeString(host.home("carol").resolve("secret.txt"), "secret");
        Map<String, String> offer = offer("carol");
        try (RawConnection c = tokenLogin(offer, "carol")) {
            c.expect(AuthOk.class);
            c.send(new Open("secret.txt", Strategy.SERVER_DEFAULT, 0));
            assertThat(c.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        }
        Path sftpWork = Files.createDirectories(keys.resolve("sftp-carol"));
        OpenSsh.Result sftp = OpenSsh.sftp(host.work().resolve("key-carol"), "carol", host.process().sftpPort(),
                sftpWork, "get secret.txt");
        assertThat(sftp.exitCode()).as("SFTP refuses the same read: %s", sftp.output()).isNotZero();
        assertThat(sftpWork.resolve("secret.txt")).doesNotExist();
    }

    /**
     * The user's own ssh_config in a throw-away HOME ({@code ~/.ssh/config}); OpenSSH finds {@code ~} through the
     * password database, not HOME, so the CLI is given it with {@code -F}.
     */
    private static Path userConfig(Path home, String... identityLines) throws IOException {
        Path config = Files.createDirectories(home.resolve(".ssh")).resolve("config");
        List<String> lines = new ArrayList<>(List.of("Host files", "    HostName 127.0.0.1",
                "    Port " + host.process().sftpPort(), "    User alice",
                "    UserKnownHostsFile " + keys.resolve("known_hosts"), "    StrictHostKeyChecking accept-new",
                "    BatchMode yes", "    LogLevel ERROR"));
        for (String line : identityLines) {
            lines.add("    " + line);
        }
        Files.writeString(config, String.join("\n", lines) + "\n");
        return config;
    }

    @Test
    void theCliDownloadsThroughTheUsersSshConfigWithNoPortNoPasswordAndNoPrompt(@TempDir Path dir) throws Exception {
        Path big = host.randomFile("big.bin", 3 * 1024 * 1024 + 17, 16);
        Path config = userConfig(dir.resolve("home"), "IdentityFile " + host.work().resolve("key-alice"),
                "IdentitiesOnly yes", "IdentityAgent none");
        Path out = dir.resolve("out.bin");

        MpftCli.Run run = new MpftCli(dir, "not-used").run("get", "-F", config.toString(), "--json",
                "files:/big.bin", "-o", out.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.mismatch(big, out)).isEqualTo(-1L);
        assertThat(run.jsonString("file")).isEqualTo(out.toString());
        assertThat(run.lastLine()).contains("127.0.0.1:" + host.port());
        assertThat(dir.resolve("home/.mpft/known_hosts")).as("the pin came over SSH").doesNotExist();
        assertThat(run.stderr()).doesNotContain("password", "authenticity");
    }

    @Test
    void theCliLogsInWithTheKeyInARunningSshAgent(@TempDir Path dir) throws Exception {
        Path big = host.randomFile("agent.bin", 1024 * 1024 + 3, 17);
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            Poll.until("the agent's socket", java.time.Duration.ofSeconds(30), () -> Files.exists(socket),
                    () -> "no " + socket);
            ProcessBuilder add = new ProcessBuilder("ssh-add", host.work().resolve("key-alice").toString())
                    .redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process adding = add.start();
            String added = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(adding.waitFor()).as(added).isZero();
            // no IdentityFile: the only key is the one in the agent the config names
            Path config = userConfig(dir.resolve("home"), "IdentityAgent " + socket);
            Path out = dir.resolve("out.bin");

            MpftCli.Run run = new MpftCli(dir, "not-used").run("get", "-F", config.toString(), "--json",
                    "files:agent.bin", "-o", out.toString());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(Files.mismatch(big, out)).isEqualTo(-1L);
            assertThat(dir.resolve("home/.mpft/known_hosts")).doesNotExist();
        } finally {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anSshFailureIsReportedWithItsExitCodeAndLastLine(@TempDir Path dir) throws Exception {
        Path config = userConfig(dir.resolve("home"), "IdentityFile " + dir.resolve("no-such-key"),
                "IdentitiesOnly yes", "IdentityAgent none");

        MpftCli.Run run = new MpftCli(dir, "not-used").run("get", "-F", config.toString(), "files:/big.bin", "-o",
                dir.resolve("x.bin").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.stderr()).contains("ssh files mpft-offer --tokens 4 failed (exit 255)", "Permission denied");
    }

    @Test
    void everyOtherExecCommandIsRefused() throws Exception {
        Ssh result = ssh("alice", "ls");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out()).isEmpty();
    }
}
