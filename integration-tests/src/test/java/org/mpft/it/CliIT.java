package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.host.OpenSsh;

/**
 * The real {@code mpft} command as a separate process ({@code java -jar mpft-cli-*-all.jar}) against the
 * real host ({@link HostProcess}) with the real plugin jar in its plugins folder, over real QUIC on
 * 127.0.0.1. Every run has its own HOME and known-hosts file; no run has a console.
 */
@Timeout(300)
class CliIT {

    /** System property: the shaded CLI jar; else {@code <repo>/mpft-cli/target/mpft-cli-*-all.jar}. */
    static final String CLI_JAR_PROPERTY = "mpft.it.cliJar";

    private static final String PASSWORD = "alice-pw";
    private static final int SMALL = 500 * 1024;
    private static final int LARGE = 50 * 1024 * 1024;
    private static final long HUGE = 256L * 1024 * 1024;

    @TempDir
    static Path shared;

    static HostProcess host;
    static int quicPort;
    static Path key;
    static byte[] small;
    static byte[] large;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHost() throws Exception {
        Path keys = Files.createDirectories(shared.resolve("keys"));
        key = OpenSsh.ed25519Key(keys, "id_ed25519");
        quicPort = FreePorts.udp();
        host = startHost(shared.resolve("host"), quicPort);
        Path pub = Files.createDirectories(host.home("alice").resolve("pub"));
        small = random(1, SMALL);
        large = random(2, LARGE);
        Files.write(pub.resolve("small.bin"), small);
        Files.write(pub.resolve("large.bin"), large);
        Files.writeString(host.home("alice").resolve("private.txt"), "outside alice's read rules\n");
    }

    /** Writes the HUGE file: sparse, costs the host no disk. */
    private static void writeHuge(Path file) throws IOException {
        try (RandomAccessFile huge = new RandomAccessFile(file.toFile(), "rw")) {
            huge.setLength(HUGE);
            huge.seek(HUGE - 5);
            huge.write("tail\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static HostProcess startHost(Path workDir, int port, String... javaOptions) throws Exception {
        HostProcess.Builder builder = HostProcess.builder(workDir)
                .user(HostProcess.User.withKey("alice", Path.of(key + ".pub")).password(PASSWORD).read("/pub"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(port));
        for (String option : javaOptions) {
            builder.javaOption(option);
        }
        HostProcess started = builder.start();
        started.awaitOutput("channel 'mpft' started", Duration.ofSeconds(60));
        return started;
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

    /** The outcome of one CLI run. */
    record Run(int exitCode, String stdout, String stderr) {
        /** The last line of stdout (the --json object). */
        String lastLine() {
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1];
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Runs {@code mpft ARGS} with HOME in this test's folder and the password in MPFT_PASSWORD. */
    private Run mpft(String... args) throws Exception {
        return mpft(Map.of("MPFT_PASSWORD", PASSWORD), args);
    }

    private Run mpft(Map<String, String> env, String... args) throws Exception {
        return mpft(env, process -> { }, args);
    }

    /** Something to do with the CLI's process while it runs (e.g. interrupt it). */
    private interface WhileRunning {
        void accept(Process process) throws Exception;
    }

    private Run mpft(Map<String, String> env, WhileRunning whileRunning, String... args) throws Exception {
        return run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                MpftCli.cliJar().toString()), env, whileRunning, args);
    }

    private Run run(List<String> launch, Map<String, String> env, WhileRunning whileRunning, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(MpftCli.withoutTerminal(launch));
        command.addAll(List.of(args));
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(Files.createDirectories(dir.resolve("cwd")).toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("MPFT_PASSWORD");
        pb.environment().remove("SSH_AUTH_SOCK"); // the agent of whoever runs the tests is not the test's
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = pb.start();
        whileRunning.accept(process);
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mpft did not finish in 240 s: " + String.join(" ", args) + "\n"
                    + Files.readString(err) + "\nhost:\n" + host.output());
        }
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private String target(String path) {
        return "alice@127.0.0.1:" + quicPort + ":" + path;
    }

    private String knownHosts() {
        return dir.resolve("known_hosts").toString();
    }

    private static String jsonString(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return m.group(1);
    }

    private static long jsonNumber(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertDownloaded(Run run, Path file, byte[] expected) throws Exception {
        assertThat(run.exitCode()).as(run + "\nhost:\n" + host.output()).isZero();
        String json = run.lastLine();
        assertThat(json).startsWith("{").endsWith("}");
        assertThat(jsonString(json, "file")).isEqualTo(file.toString());
        assertThat(jsonNumber(json, "bytes")).isEqualTo(expected.length);
        assertThat(jsonString(json, "sha256")).isEqualTo(sha256(expected));
        assertThat(json).contains("\"paths\":[{\"server\":\"127.0.0.1:" + quicPort + "\",\"role\":\"primary\"");
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);
        assertThat(Path.of(file + ".mpft-part")).doesNotExist();
        assertThat(Path.of(file + ".mpft-state")).doesNotExist();
    }

    @Test
    void smallAndLargeFilesArriveByteIdentical() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Run first = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(),
                "--json", target("/pub/small.bin"), "-o", out.toString());
        assertDownloaded(first, out.resolve("small.bin"), small);
        assertThat(first.stderr()).contains("permanently added");
        assertThat(Files.readString(Path.of(knownHosts()))).startsWith("127.0.0.1:" + quicPort + " SHA256:");

        // pinned now: no --accept-new needed
        Run second = mpft("get", "--password-env", "MPFT_PASSWORD", "--known-hosts", knownHosts(), "--json",
                target("pub/large.bin"), "-o", out.resolve("big copy.bin").toString());
        assertDownloaded(second, out.resolve("big copy.bin"), large);
        assertThat(jsonNumber(second.lastLine(), "chunks")).isGreaterThan(1);
        assertThat(listing(out)).containsExactly("big copy.bin", "small.bin");
    }

    @Test
    void ed25519KeyLogin() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Run run = mpft(Map.of(), "get", "-i", key.toString(), "--accept-new", "--known-hosts", knownHosts(), "--json",
                "--verbose", target("pub/small.bin"), "-o", out.toString());
        assertDownloaded(run, out.resolve("small.bin"), small);
        assertThat(run.lastLine()).containsPattern("\"chunkIndices\":\\[0(,\\d+)*\\]");
    }

    @Test
    void wrongPasswordExits3() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Run run = mpft(Map.of("MPFT_PASSWORD", "wrong"), "get", "--password-env", "MPFT_PASSWORD", "--accept-new",
                "--known-hosts", knownHosts(), target("pub/small.bin"), "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).startsWith("mpft: ");
        assertThat(run.stdout()).isEmpty();
        assertThat(listing(out)).isEmpty();
    }

    @Test
    void fileOutsideTheReadRulesExits5AndSftpRefusesItToo() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Run run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(),
                target("private.txt"), "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.stderr()).startsWith("mpft: ").contains("private.txt");
        assertThat(listing(out)).isEmpty();

        Path sftpDir = Files.createDirectories(dir.resolve("sftp"));
        OpenSsh.Result sftp = OpenSsh.sftp(key, "alice", host.sftpPort(), sftpDir, "get private.txt");
        assertThat(sftp.exitCode()).as(sftp.output()).isNotZero();
        assertThat(sftp.output()).contains("Permission denied");
        assertThat(sftpDir.resolve("private.txt")).doesNotExist();
        // the same user reads the allowed file over sftp: the refusal is the rule, not the login
        OpenSsh.Result allowed = OpenSsh.sftp(key, "alice", host.sftpPort(), sftpDir, "get pub/small.bin");
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
    }

    @Test
    void missingFileExits4() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Run run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(),
                target("pub/no-such-file.bin"), "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stderr()).startsWith("mpft: ").contains("no-such-file.bin");
        assertThat(listing(out)).isEmpty();
    }

    @Test
    void traversalNamesAreRefusedAndNothingIsWritten() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> names = new ArrayList<>(List.of("../x", "a/../../b", "/../etc/passwd", "pub/../../../etc/passwd",
                "..\\x", "pub\\..\\..\\x", "pub/sm\u0001all.bin", "pub/\u001b[2Jx", "pub/x\u007f", "pub/a\tb",
                "//etc/passwd", "pub/./small.bin", "pub/small.bin/..", "C:x"));
        if ("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
            // only when arguments reach the child unchanged: a C locale turns these into '?'
            names.addAll(List.of("pub/\u2215small.bin", "pub/\u202esmall.bin", "pub\uff0f..\uff0f..\uff0fx"));
        }
        for (String name : names) {
            Run run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(),
                    target(name), "-o", out.toString());
            assertThat(run.exitCode()).as(name + ": " + run).isIn(2, 5);
            assertThat(run.stderr()).as(name).startsWith("mpft: ");
            assertThat(listing(out)).as(name).isEmpty();
        }
        // the output name taken from the remote path obeys the same rule
        assertThat(listing(dir.resolve("cwd"))).isEmpty();
    }

    @Test
    void unknownCertificateWithoutAcceptNewAndWithoutConsoleExits3() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Run run = mpft("get", "--password-env", "MPFT_PASSWORD", "--known-hosts", knownHosts(),
                target("pub/small.bin"), "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).contains("--accept-new");
        assertThat(Path.of(knownHosts())).doesNotExist();
        assertThat(listing(out)).isEmpty();
    }

    @Test
    void defaultKnownHostsIsInHome() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Run run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "-q", target("pub/small.bin"),
                "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEmpty();
        assertThat(dir.resolve("home/.mpft/known_hosts")).exists();

        // pinned in HOME now; without -q or --json: one human summary line
        Run human = mpft("get", "--password-env", "MPFT_PASSWORD", target("pub/small.bin"), "-o",
                out.resolve("again.bin").toString());
        assertThat(human.exitCode()).as(human.toString()).isZero();
        assertThat(human.stdout()).startsWith(out.resolve("again.bin") + ": 512.0 kB in ")
                .contains("sha256 " + sha256(small)).hasLineCount(1);
        // stderr is a file: nothing on it but, on a machine slow enough, a plain progress line every 5 s
        assertThat(human.stderr().lines()).allMatch(line -> line.startsWith("mpft: again.bin  ")
                && line.endsWith(" path"));
    }

    @Test
    void changedCertificateExits3() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        // a second host on another port: pin its certificate, then replace the host by one with a new
        // certificate on the same port
        int port = FreePorts.udp();
        String other = "alice@127.0.0.1:" + port + ":pub/f.bin";
        try (HostProcess first = startHost(dir.resolve("first"), port)) {
            Files.createDirectories(first.home("alice").resolve("pub"));
            Files.write(first.home("alice").resolve("pub/f.bin"), small);
            Run pinned = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(),
                    other, "-o", out.toString());
            assertThat(pinned.exitCode()).as(pinned.toString()).isZero();
        }
        Files.delete(out.resolve("f.bin"));
        String pins = Files.readString(Path.of(knownHosts()));
        try (HostProcess second = startHost(dir.resolve("second"), port)) {
            Files.createDirectories(second.home("alice").resolve("pub"));
            Files.write(second.home("alice").resolve("pub/f.bin"), small);
            Run run = mpft("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(),
                    other, "-o", out.toString());
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
            assertThat(run.stderr()).contains("REMOTE SERVER IDENTIFICATION HAS CHANGED");
        }
        assertThat(Files.readString(Path.of(knownHosts()))).isEqualTo(pins);
        assertThat(listing(out)).isEmpty();
    }

    @Test
    void ctrlCKeepsThePartialDownloadAndTheNextRunResumes() throws Exception {
        // a host of its own that sends 4 chunks, then holds the rest until the gate file exists: the interrupt
        // lands mid-download however fast the machine
        Path gate = dir.resolve("release-chunks");
        int port = FreePorts.udp();
        try (HostProcess held = startHost(dir.resolve("held"), port, "-Dmpft.test.hold-chunks-until=" + gate,
                "-Dmpft.test.hold-after-chunks=4")) {
            writeHuge(Files.createDirectories(held.home("alice").resolve("pub")).resolve("huge.bin"));
            ctrlCAndResume(held, "alice@127.0.0.1:" + port + ":pub/huge.bin", gate);
        }
    }

    /** Interrupts a download from {@code held} with 4 chunks on disk, then opens the gate and resumes it. */
    private void ctrlCAndResume(HostProcess held, String huge, Path gate) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path file = out.resolve("huge.bin");
        Path part = Path.of(file + ".mpft-part");
        Path state = Path.of(file + ".mpft-state");
        Run interrupted = mpft(Map.of("MPFT_PASSWORD", PASSWORD), process -> {
            // SIGINT once the first chunks are on disk, as Ctrl-C on a terminal would
            MpftCli.awaitHeldChunks(process, state, 4);
            assertThat(process.isAlive()).as("the download ended before the interrupt").isTrue();
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        }, "get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts", knownHosts(), "--progress",
                huge, "-o", out.toString());
        assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(130);
        assertThat(interrupted.stderr()).contains("mpft: cancelled").contains("resume").contains("ETA")
                .contains("primary");
        assertThat(interrupted.stdout()).isEmpty();
        assertThat(file).doesNotExist();
        assertThat(part).exists();
        assertThat(state).exists();

        Files.createFile(gate); // the host sends every chunk from now on
        Run resumed = mpft("get", "--password-env", "MPFT_PASSWORD", "--known-hosts", knownHosts(), "--json",
                huge, "-o", out.toString());
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        String json = resumed.lastLine();
        assertThat(jsonNumber(json, "resumedChunks")).isPositive();
        assertThat(jsonNumber(json, "bytes")).isEqualTo(HUGE);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(held.home("alice").resolve("pub/huge.bin"))) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                expected.update(buffer, 0, n);
            }
        }
        assertThat(jsonString(json, "sha256")).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(Files.size(file)).isEqualTo(HUGE);
        assertThat(part).doesNotExist();
        assertThat(state).doesNotExist();
        Files.delete(file);
    }
}
