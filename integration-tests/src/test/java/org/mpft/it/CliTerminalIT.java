package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code mpft} command's manners toward terminals, scripts and logs, against the real host with
 * the real plugin over real QUIC: {@code --json} failures, {@code --expect-sha256}, {@code known-hosts},
 * the error when UDP gets no answer at all, and (under util-linux {@code script}, a real pseudo-terminal)
 * prompts on the terminal while stdout is redirected and no progress escapes in a redirected stderr.
 */
@Timeout(300)
class CliTerminalIT {

    private static final String PASSWORD = "alice-pw";

    @TempDir
    static Path shared;

    static HostProcess host;
    static int quicPort;
    static byte[] small;
    static byte[] large;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHost() throws Exception {
        quicPort = FreePorts.udp();
        host = HostProcess.builder(shared.resolve("host"))
                .user(HostProcess.User.withPassword("alice", PASSWORD).read("/pub"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(quicPort))
                .start();
        host.awaitOutput("channel 'mpft' started", Duration.ofSeconds(60));
        Path pub = Files.createDirectories(host.home("alice").resolve("pub"));
        small = random(1, 300 * 1024);
        large = random(2, 40 * 1024 * 1024);
        Files.write(pub.resolve("small.bin"), small);
        Files.write(pub.resolve("large.bin"), large);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    private static byte[] random(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private MpftCli.Run mpft(String... args) throws Exception {
        return new MpftCli(dir, PASSWORD).run(args);
    }

    private String target(String path) {
        return "alice@127.0.0.1:" + quicPort + ":" + path;
    }

    @Test
    void noUdpAnswerNamesTheBlockedPortAndJsonReportsIt() throws Exception {
        // bound, so no ICMP "port unreachable" comes back: exactly what a firewall dropping UDP looks like
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = silent.getLocalPort();
            MpftCli.Run run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--json",
                    "alice@127.0.0.1:" + port + ":pub/small.bin", "-o", dir.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
            assertThat(run.stderr()).contains("no answer from 127.0.0.1:" + port)
                    .contains("UDP to 127.0.0.1:" + port + " may be blocked").contains("UDP port " + port)
                    .doesNotContain("Exception");
            assertThat(run.lastLine()).startsWith("{\"error\":{\"exitCode\":7,\"name\":\"unavailable\","
                    + "\"message\":\"no answer from 127.0.0.1:" + port);
            // the client did send there: its Initial packets wait in the socket's buffer
            silent.setSoTimeout(1);
            silent.receive(new DatagramPacket(new byte[2048], 2048));
        }
    }

    @Test
    void jsonReportsAServerRefusalWithItsExitCode() throws Exception {
        MpftCli.Run run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--json",
                target("pub/missing.bin"), "-o", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stdout().strip().lines()).hasSize(1);
        assertThat(run.lastLine()).startsWith("{\"error\":{\"exitCode\":4,\"name\":\"not-found\",\"message\":\"")
                .endsWith("\"}}");
    }

    @Test
    void expectSha256KeepsOnlyTheExpectedFile() throws Exception {
        Path out = dir.resolve("small.bin");
        MpftCli.Run wrong = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--json",
                "--expect-sha256", "00".repeat(32), target("pub/small.bin"), "-o", out.toString());
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(8);
        assertThat(wrong.stderr()).contains(sha256(small)).contains("--expect-sha256");
        assertThat(wrong.lastLine()).startsWith("{\"error\":{\"exitCode\":8,\"name\":\"integrity\"");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("small.bin"));
        }

        MpftCli.Run right = mpft("get", "--password-env", "MPFT_PASSWORD", "--json",
                "--expect-sha256", sha256(small).toUpperCase(), target("pub/small.bin"), "-o", out.toString());
        assertThat(right.exitCode()).as(right.toString()).isZero();
        assertThat(right.jsonString("file")).isEqualTo(out.toString());
        assertThat(Files.readAllBytes(out)).isEqualTo(small);
        assertThat(Path.of(out + ".mpft-unverified")).doesNotExist();

        MpftCli.Run bad = mpft("get", "--password-env", "MPFT_PASSWORD", "--expect-sha256", "xyz",
                target("pub/small.bin"), "-o", out.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--expect-sha256");
    }

    @Test
    void knownHostsListAndRemove() throws Exception {
        MpftCli.Run pinned = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "-q",
                target("pub/small.bin"), "-o", dir.toString());
        assertThat(pinned.exitCode()).as(pinned.toString()).isZero();
        String server = "127.0.0.1:" + quicPort;

        MpftCli.Run list = mpft("known-hosts", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.stdout().strip()).matches(java.util.regex.Pattern.quote(server) + " SHA256:[A-Za-z0-9+/]{43}");
        String fingerprint = list.stdout().strip().split(" ")[1];

        MpftCli.Run removed = mpft("known-hosts", "remove", server);
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.stdout()).contains("removed " + server + " " + fingerprint);
        assertThat(mpft("known-hosts", "list").stdout()).isEmpty();

        MpftCli.Run again = mpft("known-hosts", "remove", server);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("nothing removed");

        // forgotten: without --accept-new and without a terminal the server is unknown again
        MpftCli.Run unknown = mpft("get", "--password-env", "MPFT_PASSWORD", target("pub/small.bin"),
                "-o", dir.resolve("again.bin").toString());
        assertThat(unknown.exitCode()).isEqualTo(3);
    }

    /** Runs {@code shellCommand} on a fresh pseudo-terminal (util-linux {@code script}), typing {@code typed}. */
    private ScriptRun onTerminal(String shellCommand, String typed) throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "util-linux script is needed for a pseudo-terminal");
        Path input = Files.writeString(dir.resolve("typed"), typed);
        Path screen = dir.resolve("screen");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qec", shellCommand, "/dev/null")
                .directory(dir.toFile()).redirectInput(input.toFile()).redirectOutput(screen.toFile())
                .redirectErrorStream(true);
        pb.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        pb.environment().put("SHELL", "/bin/sh");
        pb.environment().remove("MPFT_PASSWORD");
        pb.environment().remove("SSH_AUTH_SOCK"); // the agent of whoever runs the tests is not the test's
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = pb.start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mpft on a terminal did not finish: " + Files.readString(screen));
        }
        return new ScriptRun(process.exitValue(), Files.readString(screen, StandardCharsets.UTF_8));
    }

    private record ScriptRun(int exitCode, String screen) {
    }

    private String java() throws Exception {
        return Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + MpftCli.cliJar();
    }

    @Test
    void passwordIsAskedOnTheTerminalWhileStdoutIsRedirected() throws Exception {
        Path out = dir.resolve("got.bin");
        Path stdout = dir.resolve("stdout.txt");
        ScriptRun run = onTerminal(java() + " get --accept-new --json " + target("pub/small.bin") + " -o " + out
                + " > " + stdout, PASSWORD + "\n");
        assertThat(run.exitCode()).as(run.screen()).isZero();
        assertThat(run.screen()).contains("alice@127.0.0.1's password: ");
        String json = Files.readString(stdout);
        assertThat(json).startsWith("{\"file\":\"" + out + "\"").doesNotContain("password");
        assertThat(Files.readAllBytes(out)).isEqualTo(small);
    }

    @Test
    void aRedirectedStderrGetsNoEscapesEvenOnATerminal() throws Exception {
        // stdin and stdout are the terminal (the JVM has a console), stderr is a file: no bar drawn into it
        Path stderr = dir.resolve("stderr.txt");
        ScriptRun run = onTerminal(java() + " get --accept-new " + target("pub/large.bin") + " -o "
                + dir.resolve("large.bin") + " 2> " + stderr, PASSWORD + "\n");
        assertThat(run.exitCode()).as(run.screen() + Files.readString(stderr)).isZero();
        assertThat(Files.readAllBytes(dir.resolve("large.bin"))).isEqualTo(large);
        String log = Files.readString(stderr);
        assertThat(log).doesNotContain("\r").doesNotContain("\033");
        assertThat(run.screen()).contains("large.bin: 41.9 MB in").doesNotContain("\033[K");
    }

    @Test
    void theBuildWritesShellCompletionAndManPages() throws Exception {
        Path target = Path.of(System.getProperty(HostProcess.REPO_ROOT_PROPERTY, "..")).resolve("mpft-cli/target");
        Path completion = target.resolve("mpft_completion");
        assertThat(Files.readString(completion)).contains("known-hosts").contains("--expect-sha256");
        // bash accepts it and registers the completion of mpft
        Process bash = new ProcessBuilder("bash", "-c", "source " + completion + " && complete -p mpft")
                .redirectErrorStream(true).start();
        String said = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).as(said).isZero();
        assertThat(said).contains("mpft");
        for (String page : List.of("mpft", "mpft-get", "mpft-known-hosts-list", "mpft-known-hosts-remove")) {
            assertThat(Files.readString(target.resolve("man").resolve(page + ".adoc")))
                    .as(page).contains(":doctype: manpage").contains("= " + page + "(1)");
        }
        assertThat(Files.readString(target.resolve("man/mpft-get.adoc"))).contains("--expect-sha256");
        // and the same pages in troff, as man(1) reads them
        for (String page : List.of("mpft", "mpft-get", "mpft-ls", "mpft-known-hosts-list", "mpft-known-hosts-remove")) {
            assertThat(Files.readString(target.resolve("man").resolve(page + ".1")))
                    .as(page).contains(".TH \"" + page.toUpperCase(java.util.Locale.ROOT).replace("-", "\\-") + "\" \"1\"");
        }
        assertThat(Files.readString(target.resolve("man/mpft-get.1"))).contains("expect\\-sha256");
    }
}
