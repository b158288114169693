package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.it.MpftCli.Run;

/**
 * The direct QUIC login of the real CLI ({@code --direct}) with the identities an ssh user already has and
 * nothing else: no {@code -i}, no password option, no {@code MPFT_PASSWORD}. The keys come from a real
 * OpenSSH {@code ssh-agent} (filled with the real {@code ssh-add}), from a default identity in
 * {@code HOME/.ssh}, or from a {@code Host} alias of {@code HOME/.ssh/config}; the host is the real demo
 * host with the real plugin, where alice's authorized keys list the three public keys.
 */
@Timeout(300)
class DirectLoginIT {

    @TempDir
    static Path shared;

    static HostProcess host;
    static int quicPort;
    static Path keys;
    static byte[] file;

    @TempDir
    Path dir;

    private long agentPid;

    @BeforeAll
    static void startHost() throws Exception {
        keys = Files.createDirectories(shared.resolve("keys"));
        keygen(keys.resolve("agent_key"), "ed25519", "RFC4716");
        keygen(keys.resolve("stranger_key"), "ed25519", "RFC4716"); // in the agent, not authorized
        keygen(keys.resolve("default_key"), "ecdsa", "PEM");
        keygen(keys.resolve("alias_key"), "rsa", "PKCS8");
        Path authorized = keys.resolve("authorized_keys");
        Files.writeString(authorized, Files.readString(keys.resolve("agent_key.pub"))
                + Files.readString(keys.resolve("default_key.pub")) + Files.readString(keys.resolve("alias_key.pub")));
        quicPort = FreePorts.udp();
        host = HostProcess.builder(shared.resolve("host"))
                .user(HostProcess.User.withKey("alice", authorized).read("/pub"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(quicPort))
                .start();
        host.awaitOutput("channel 'mpft' started", Duration.ofSeconds(60));
        file = new byte[300 * 1024];
        new Random(16).nextBytes(file);
        Files.write(Files.createDirectories(host.home("alice").resolve("pub")).resolve("f.bin"), file);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @AfterEach
    void stopAgent() {
        if (agentPid != 0) {
            ProcessHandle.of(agentPid).ifPresent(ProcessHandle::destroy);
        }
    }

    private static String run(Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    private static void keygen(Path key, String type, String format) throws Exception {
        run(Map.of(), "ssh-keygen", "-q", "-N", "", "-t", type, "-m", format, "-C", key.getFileName().toString(),
                "-f", key.toString());
    }

    /** Starts a real ssh-agent (it forks; its first process exits once the socket listens) and returns its socket. */
    private Path startAgent() throws Exception {
        Path socket = dir.resolve("agent.sock");
        String output = run(Map.of(), "ssh-agent", "-s", "-a", socket.toString());
        Matcher pid = Pattern.compile("SSH_AGENT_PID=(\\d+)").matcher(output);
        assertThat(pid.find()).as(output).isTrue();
        agentPid = Long.parseLong(pid.group(1));
        return socket;
    }

    private MpftCli cli() {
        return new MpftCli(dir.resolve("cli"), null); // no MPFT_PASSWORD
    }

    private Run get(MpftCli cli, Map<String, String> environment, String target) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        return cli.run(environment, "get", "--direct", "--accept-new", "--known-hosts",
                dir.resolve("known_hosts").toString(), "--json", target, "-o", out.resolve("f.bin").toString());
    }

    private void assertDownloaded(Run run) throws Exception {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path out = dir.resolve("out/f.bin");
        assertThat(Files.readAllBytes(out)).isEqualTo(file);
        assertThat(run.jsonString("sha256"))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        assertThat(run.stderr()).doesNotContain("password");
    }

    @Test
    void theAgentAloneLogsIn_tryingEachOfItsKeys() throws Exception {
        Path socket = startAgent();
        // the agent lists the stranger's key first: the server refuses it, the next key logs in
        run(Map.of("SSH_AUTH_SOCK", socket.toString()), "ssh-add", keys.resolve("stranger_key").toString(),
                keys.resolve("agent_key").toString());
        MpftCli cli = cli();
        assertThat(cli.home().resolve(".ssh")).doesNotExist();
        Run run = get(cli, Map.of("SSH_AUTH_SOCK", socket.toString()), "alice@127.0.0.1:" + quicPort + ":pub/f.bin");
        assertDownloaded(run);
    }

    @Test
    void aBatchLogsInWithTheKeyTheServerAcceptedForItsListing() throws Exception {
        Path socket = startAgent();
        // the stranger's key first: the listing's login is refused with it and accepted with the next key, which
        // the batch's sessions must use too
        run(Map.of("SSH_AUTH_SOCK", socket.toString()), "ssh-add", keys.resolve("stranger_key").toString(),
                keys.resolve("agent_key").toString());
        MpftCli cli = cli();
        Path out = Files.createDirectories(dir.resolve("tree"));
        Run run = cli.run(Map.of("SSH_AUTH_SOCK", socket.toString()), "get", "--direct", "--accept-new",
                "--known-hosts", dir.resolve("known_hosts").toString(), "-r", "alice@127.0.0.1:" + quicPort + ":pub",
                out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path got;
        try (java.util.stream.Stream<Path> files = Files.walk(out)) {
            got = files.filter(f -> f.getFileName().toString().equals("f.bin")).findFirst().orElseThrow();
        }
        assertThat(Files.readAllBytes(got)).isEqualTo(file);
    }

    @Test
    void aDefaultIdentityInHomeLogsIn() throws Exception {
        MpftCli cli = cli();
        Path ssh = Files.createDirectories(cli.home().resolve(".ssh"));
        Files.copy(keys.resolve("default_key"), ssh.resolve("id_ecdsa")); // a PEM (BEGIN EC PRIVATE KEY) key
        Run run = get(cli, Map.of(), "alice@127.0.0.1:" + quicPort + ":pub/f.bin");
        assertDownloaded(run);
    }

    @Test
    void anSshConfigHostAliasNamesTheHostTheUserAndTheKey() throws Exception {
        MpftCli cli = cli();
        Path ssh = Files.createDirectories(cli.home().resolve(".ssh"));
        Path keyDir = Files.createDirectories(cli.home().resolve("keys"));
        Files.copy(keys.resolve("alias_key"), keyDir.resolve("files_key")); // a PKCS#8 RSA key
        Files.writeString(ssh.resolve("config"), """
                Host files
                    HostName 127.0.0.1
                    User alice
                    IdentityFile ~/keys/files_key
                """);
        Run run = get(cli, Map.of(), "files:" + quicPort + ":pub/f.bin");
        assertDownloaded(run);
        assertThat(run.lastLine()).contains("127.0.0.1:" + quicPort);
    }

    @Test
    void withNoIdentityAndNoTerminalTheErrorSaysWhatToGive() throws Exception {
        Run run = get(cli(), Map.of(), "alice@127.0.0.1:" + quicPort + ":pub/f.bin");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr()).contains("no credentials").contains("ssh-agent");
        assertThat(List.of(dir.resolve("out").toFile().list())).isEmpty();
    }
}
