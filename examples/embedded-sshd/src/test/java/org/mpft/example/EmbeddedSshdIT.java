package org.mpft.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example server as a real process, started by {@code bin/mpft-example-sshd} with the real shaded
 * mpft plugin jar in its plugins folder; the real {@code mpft} CLI downloads through it with a password
 * and with a key and is refused outside the user's root; the real OpenSSH {@code sftp} serves the same
 * user the same file.
 */
@Timeout(300)
class EmbeddedSshdIT {

    private static final String PASSWORD = "alice-pw";

    @TempDir
    Path dir;

    private Path key;
    private byte[] content;
    private int quicPort;
    private Process server;
    private final StringBuffer output = new StringBuffer();

    @BeforeEach
    void startServer() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        key = work.resolve("id_ed25519");
        String keygen = ssh(work, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", key.toString());
        assertThat(keygen).as("ssh-keygen").startsWith("0\n");
        Path users = Files.writeString(dir.resolve("users.properties"), "alice = "
                + PasswordHash.hash(PASSWORD.toCharArray()) + ", " + Files.readString(Path.of(key + ".pub")).strip()
                + "\nbob = " + PasswordHash.hash("bob-pw".toCharArray()) + "\n");
        Path root = dir.resolve("root");
        Path alice = Files.createDirectories(root.resolve("alice/pub"));
        content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        Files.write(alice.resolve("data.bin"), content);
        Path bobs = Files.writeString(Files.createDirectories(root.resolve("bob")).resolve("secret.txt"), "bob's");
        Files.createSymbolicLink(root.resolve("alice/escape.txt"), bobs.toAbsolutePath());
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(pluginJar(), plugins.resolve("mpft-plugin.jar"), StandardCopyOption.REPLACE_EXISTING);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            quicPort = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(repoRoot().resolve("bin/mpft-example-sshd").toString(),
                "--sftp-port", "0", "--quic-port", Integer.toString(quicPort), "--root", root.toString(),
                "--users", users.toString(), "--plugins", plugins.toString(), "--state", dir.resolve("state").toString())
                .redirectErrorStream(true).directory(dir.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        server = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append("[output lost: ").append(e).append("]\n");
            }
        }, "example-output");
        reader.setDaemon(true);
        reader.start();
        awaitOutput("mpft-example-sshd ready sftp=");
        awaitOutput("mpft listening on udp");
        assertThat(output.toString()).contains("channels=[mpft/");
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.toHandle().destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.toHandle().destroyForcibly();
            }
        }
    }

    @Test
    void theCliDownloadsWithAPasswordAndWithAKey() throws Exception {
        Path out = dir.resolve("by-password.bin");
        Cli run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(), "--json",
                target("/pub/data.bin"), "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(content);

        Path byKey = dir.resolve("by-key.bin");
        Cli keyed = mpft("get", "-i", key.toString(), "--known-hosts", knownHosts(), "--json",
                target("pub/data.bin"), "-o", byKey.toString());
        assertThat(keyed.exitCode()).as(keyed.toString()).isZero();
        assertThat(Files.readAllBytes(byKey)).isEqualTo(content);
    }

    @Test
    void theCliDownloadsInTheSshFormThroughTheServersExecChannel() throws Exception {
        Path out = dir.resolve("by-ssh.bin");
        Cli run = mpft("get", "-P", Integer.toString(sftpPort()), "-i", key.toString(), "-F", "/dev/null",
                "--ssh-option", "IdentitiesOnly=yes", "--ssh-option", "IdentityAgent=none", "--ssh-option",
                "BatchMode=yes", "--ssh-option", "StrictHostKeyChecking=no", "--ssh-option",
                "UserKnownHostsFile=" + dir.resolve("ssh_known_hosts"), "--ssh-option", "LogLevel=ERROR", "--json",
                "alice@127.0.0.1:pub/data.bin", "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        assertThat(dir.resolve("home/.mpft/known_hosts")).doesNotExist();
    }

    @Test
    void theCliIsRefusedOutsideTheUsersRoot() throws Exception {
        // refused by the server: a link out of the root, bob's file by its path on the machine, nothing there
        Path bobs = dir.resolve("root/bob/secret.txt").toAbsolutePath();
        // (the CLI's exit codes: 2 invalid path, 4 not found)
        for (var refusal : java.util.Map.of("escape.txt", 2, bobs.toString(), 4, "missing.bin", 4).entrySet()) {
            Path out = dir.resolve("refused.txt");
            Cli run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(),
                    target(refusal.getKey()), "-o", out.toString());
            assertThat(run.exitCode()).as(refusal.getKey() + ": " + run).isEqualTo(refusal.getValue());
            assertThat(run.stderr()).as(refusal.getKey()).doesNotContain("bob's");
            assertThat(out).as(refusal.getKey()).doesNotExist();
        }
        // refused by the client before it asks (the server's answer to '..' is the TCK's: InvalidPath)
        Cli up = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(),
                target("/../bob/secret.txt"), "-o", dir.resolve("up.txt").toString());
        assertThat(up.exitCode()).as(up.toString()).isNotZero();
        assertThat(dir.resolve("up.txt")).doesNotExist();
        Cli wrong = mpft("get", "--password-env", "WRONG", "--accept-new", "--known-hosts", knownHosts(),
                target("pub/data.bin"), "-o", dir.resolve("never.bin").toString());
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(3);
    }

    @Test
    void openSshSftpServesTheSameUserTheSameFile() throws Exception {
        Path work = dir.resolve("work");
        Path batch = Files.writeString(work.resolve("batch.sftp"), "pwd\nget pub/data.bin got.bin\n");
        String result = sftp(work, batch);
        assertThat(result).startsWith("0\n").contains("Remote working directory: /");
        assertThat(Files.readAllBytes(work.resolve("got.bin"))).isEqualTo(content);

        Path refused = Files.writeString(work.resolve("refused.sftp"), "get /../bob/secret.txt bobs.txt\n");
        String outside = sftp(work, refused);
        assertThat(outside).doesNotStartWith("0\n");
        assertThat(work.resolve("bobs.txt")).doesNotExist();

        // a link made over SFTP would lead out of the root (MINA's rooted file system follows it): refused
        Path link = Files.writeString(work.resolve("link.sftp"), "ln -s .. up\n");
        String linked = sftp(work, link);
        assertThat(linked).doesNotStartWith("0\n");
        assertThat(dir.resolve("root/alice/up")).doesNotExist();
    }

    // ---- helpers

    private record Cli(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Cli mpft(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", cliJar().toString()));
        command.addAll(List.of(args));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("MPFT_PASSWORD", PASSWORD);
        pb.environment().put("WRONG", "not-the-password");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mpft did not finish in 240 s: " + String.join(" ", args));
        }
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** OpenSSH {@code sftp -b BATCH} as alice with her key; returns the exit code, a newline, the output. */
    private String sftp(Path work, Path batch) throws IOException, InterruptedException {
        return ssh(work, "sftp", "-b", batch.toString(), "-F", "/dev/null", "-i", key.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=" + work.resolve("known_hosts"), "-o", "LogLevel=ERROR",
                "-P", Integer.toString(sftpPort()), "alice@127.0.0.1");
    }

    private String target(String path) {
        return "alice@127.0.0.1:" + quicPort + ":" + path;
    }

    private String knownHosts() {
        return dir.resolve("known_hosts").toString();
    }

    private int sftpPort() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ready sftp=\\S+:(\\d+)").matcher(output);
        assertThat(m.find()).as(output.toString()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Polls the server's output for {@code text}, failing after 90 s or when the process ends. */
    private void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!output.toString().contains(text)) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' from the server; output:\n" + output);
            }
            Thread.sleep(20);
        }
    }

    /** Runs a command in {@code workDir}; returns its exit code, a newline, then its merged output. */
    private static String ssh(Path workDir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + List.of(command));
        }
        return p.exitValue() + "\n" + out;
    }

    private static Path repoRoot() {
        return Path.of(System.getProperty("mpft.example.repoRoot", "../..")).toAbsolutePath().normalize();
    }

    /** The shaded plugin jar, as built in {@code mpft-plugin/target}. */
    private static Path pluginJar() throws IOException {
        return find(repoRoot().resolve("mpft-plugin/target"), "mpft-plugin-*.jar", "-sources", "-javadoc", "-tests");
    }

    /** The shaded CLI jar, as built in {@code mpft-cli/target}. */
    private static Path cliJar() throws IOException {
        return find(repoRoot().resolve("mpft-cli/target"), "mpft-cli-*-all.jar");
    }

    private static Path find(Path folder, String glob, String... notContaining) throws IOException {
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, glob)) {
                for (Path jar : jars) {
                    String name = jar.getFileName().toString();
                    if (java.util.Arrays.stream(notContaining).noneMatch(name::contains)) {
                        return jar;
                    }
                }
            }
        }
        throw new IOException("no " + glob + " in " + folder + ": build it first (mvn -B -pl mpft-plugin,mpft-cli -am package)");
    }
}
