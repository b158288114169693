package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.mpft.protocol.ServerHello;
import org.mpft.transport.QuicTransport;

/**
 * Logins after the first in the SSH form, with the real OpenSSH client, a real ssh-agent and the demo host: an
 * offer carries the tokens {@code mpft-offer --tokens N} asks for, each logging its user in once; a download whose
 * first logins are refused busy ({@code mpft.max-sessions-per-user} 1, held by another session of the same user)
 * logs in again with fresh tokens, running ssh again when its offer's tokens are spent; and {@code mpft ls} logs
 * in as {@code mpft get} does, over SSH with the user's own config and agent, or directly with the agent's key.
 */
@Timeout(300)
class SshLoginsIT {

    @TempDir
    static Path keys;

    /** Default limits. */
    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(SshLoginsIT::alice)
            .pluginProperty("mpft.auth-failure-delay", "0ms")
            .quiet()
            .build();

    /** One session per user: a second one is answered busy. */
    @RegisterExtension
    static final MpftHost busy = MpftHost.builder()
            .user(SshLoginsIT::alice)
            .pluginProperty("mpft.max-sessions-per-user", "1")
            .pluginProperty("mpft.idle-timeout", "600s")
            .quiet()
            .build();

    private static HostProcess.User alice(Path work) throws IOException, InterruptedException {
        if (!Files.exists(work.resolve("key-alice"))) {
            OpenSsh.ed25519Key(work, "key-alice");
        }
        return HostProcess.User.withKey("alice", work.resolve("key-alice.pub"));
    }

    static QuicTransport transport;

    @BeforeAll
    static void start() {
        transport = QuicTransport.create("ssh-logins", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    /** The user's ssh config in a throw-away HOME: alias {@code files}, user alice, and these identity lines. */
    private static Path userConfig(MpftHost host, Path home, String... identityLines) throws IOException {
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

    /** The config of the test's own ssh runs: alice's key file, no agent. */
    private static Path keyConfig(MpftHost host) throws IOException {
        return userConfig(host, keys.resolve("home-" + host.port()), "IdentityFile " + host.work().resolve("key-alice"),
                "IdentitiesOnly yes", "IdentityAgent none");
    }

    private record Ssh(int exitCode, String out, String err) {
    }

    private static Ssh ssh(MpftHost host, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("ssh", "-F", keyConfig(host).toString(), "files"));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ssh(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static List<String> tokens(String offer) {
        return offer.lines().filter(l -> l.startsWith("token ")).map(l -> l.substring("token ".length())).toList();
    }

    /** A raw QUIC login with a token. */
    private static RawConnection tokenLogin(MpftHost host, String token) throws Exception {
        RawConnection c = new RawConnection(transport, host.port());
        c.send(new Hello(1, 0, "ssh-logins-it"));
        c.expect(ServerHello.class);
        c.send(new AuthToken("alice", Bytes.fromHex(token)));
        return c;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void anOfferCarriesTheTokensAskedForAndEachLogsItsUserInOnce() throws Exception {
        Ssh offer = ssh(host, "mpft-offer", "--tokens", "3");

        assertThat(offer.exitCode()).as(offer.err()).isZero();
        List<String> tokens = tokens(offer.out());
        assertThat(tokens).hasSize(3).doesNotHaveDuplicates();
        for (String token : tokens) {
            try (RawConnection first = tokenLogin(host, token)) {
                assertThat(first.expect(AuthOk.class).user()).isEqualTo("alice");
            }
            try (RawConnection replay = tokenLogin(host, token)) {
                assertThat(replay.expect(ErrorFrame.class).code()).as("replayed")
                        .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            }
        }
    }

    @Test
    void aBadTokenCountIsNamedOnStderrWithANonZeroExit() throws Exception {
        for (String bad : List.of("0", "17", "many")) {
            Ssh refused = ssh(host, "mpft-offer", "--tokens", bad);

            assertThat(refused.exitCode()).as(bad).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).contains("mpft-offer: --tokens must be a number from 1 to 16, got '" + bad + "'");
        }
        Ssh unknown = ssh(host, "mpft-offer", "--lots");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown argument '--lots'");
    }

    @Test
    void aDownloadRefusedBusyLogsInAgainWithFreshTokensAndANewOfferOverSsh(@TempDir Path dir) throws Exception {
        Path file = busy.randomFile("busy.bin", 2 * 1024 * 1024 + 5, 31);
        Ssh holder = ssh(busy, "mpft-offer");
        assertThat(holder.exitCode()).as(holder.err()).isZero();
        String refusedLine = "refused: 1 sessions already";
        String offerLine = "session offer (mpft-offer '--tokens 4') for user 'alice'";
        int refusedBefore = count(busy.output(), refusedLine);
        int offersBefore = count(busy.output(), offerLine);
        Path config = userConfig(busy, dir.resolve("home"), "IdentityFile " + busy.work().resolve("key-alice"),
                "IdentitiesOnly yes", "IdentityAgent none");
        Path out = dir.resolve("busy.bin");

        MpftCli.Run run;
        // alice's one session is held by this connection until the CLI has been refused five times: four tokens
        // of its first offer and one of a second
        try (RawConnection session = tokenLogin(busy, tokens(holder.out()).get(0))) {
            session.expect(AuthOk.class);
            run = new MpftCli(dir, "not-used").run(List.of(), process -> {
                Poll.until("the CLI is refused busy five times", Poll.PATIENCE,
                        () -> count(busy.output(), refusedLine) >= refusedBefore + 5 || !process.isAlive(),
                        busy::output);
                session.close();
            }, "get", "-F", config.toString(), "--wait", "240", "files:/busy.bin", "-o", out.toString());
        }

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.mismatch(file, out)).isEqualTo(-1L);
        assertThat(count(busy.output(), refusedLine) - refusedBefore).as("logins refused busy").isGreaterThanOrEqualTo(5);
        assertThat(count(busy.output(), offerLine) - offersBefore).as("ssh ran again for a new offer")
                .isGreaterThanOrEqualTo(2);
        assertThat(run.stderr()).contains("server busy").doesNotContain("password", "authenticity");
        assertThat(dir.resolve("home/.mpft/known_hosts")).doesNotExist();
    }

    /** Starts an ssh-agent on a socket in {@code dir} holding alice's key; the caller destroys it. */
    private static Process agentWithAlicesKey(Path socket) throws Exception {
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(socket.resolveSibling("agent.log").toFile()).start();
        Poll.until("the agent's socket", Duration.ofSeconds(30), () -> Files.exists(socket), () -> "no " + socket);
        ProcessBuilder add = new ProcessBuilder("ssh-add", host.work().resolve("key-alice").toString())
                .redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process adding = add.start();
        String added = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(adding.waitFor()).as(added).isZero();
        return agent;
    }

    private static void folder() throws IOException {
        Path dir = Files.createDirectories(host.home("alice").resolve("dir"));
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("b.txt"), "bee");
        Files.writeString(dir.resolve("a.txt"), "a");
    }

    @Test
    void lsListsAFolderOverSshWithTheUsersConfigAndAgent(@TempDir Path dir) throws Exception {
        folder();
        Path socket = dir.resolve("agent.sock");
        Process agent = agentWithAlicesKey(socket);
        try {
            // no IdentityFile: the only key is the one in the agent the config names
            Path config = userConfig(host, dir.resolve("home"), "IdentityAgent " + socket);
            String offerLine = "session offer (mpft-offer) for user 'alice'";
            int offersBefore = count(host.output(), offerLine);

            MpftCli.Run run = new MpftCli(dir, "not-used").run("ls", "-F", config.toString(), "files:/dir");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout().lines().toList()).containsExactly("a.txt", "b.txt", "sub");
            assertThat(dir.resolve("home/.mpft/known_hosts")).as("the pin came over SSH").doesNotExist();
            assertThat(count(host.output(), offerLine) - offersBefore).as("one offer of one token").isEqualTo(1);
        } finally {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void lsLogsInDirectlyWithTheAgentsKeyAndTheConfigsUser(@TempDir Path dir) throws Exception {
        folder();
        Path socket = dir.resolve("agent.sock");
        Process agent = agentWithAlicesKey(socket);
        try {
            Path config = userConfig(host, dir.resolve("home"));

            // no user typed, no -i, no password: the config's User and the agent's key
            MpftCli.Run run = new MpftCli(dir, null).run(Map.of("SSH_AUTH_SOCK", socket.toString()), "ls", "-F",
                    config.toString(), "--accept-new", "files:" + host.port() + ":/dir/");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout().lines().toList()).containsExactly("a.txt", "b.txt", "sub");
            assertThat(run.stderr()).doesNotContain("password");
        } finally {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
