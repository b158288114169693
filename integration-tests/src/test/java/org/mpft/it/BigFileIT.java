package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded memory: a 4 GiB file (sparse on the host, with marks at its start, middle, last chunk and end so
 * misplaced chunks show in the SHA-256) downloads with the real {@code mpft} command in its own JVM limited to
 * {@code -Xmx256m -XX:MaxDirectMemorySize=256m}. The client's peak resident memory is sampled and printed. Slow
 * (writes and hashes 4 GiB twice): runs only with {@code mvn -Pbig verify}.
 */
@Timeout(1200)
class BigFileIT {

    static final long SIZE = 4L << 30;

    @TempDir
    static Path work;

    private static HostProcess host;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.udp();
        host = HostProcess.builder(work.resolve("host"))
                .user(HostProcess.User.withPassword("alice", "alice-pw"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(port))
                .start();
        host.awaitOutput("mpft listening on udp", Duration.ofSeconds(60));
        Path data = Files.createDirectories(host.home("alice").resolve("data"));
        try (RandomAccessFile big = new RandomAccessFile(data.resolve("big.bin").toFile(), "rw")) {
            big.setLength(SIZE);
            for (long at : new long[] {0, SIZE / 2 + 12345, SIZE - (3 << 20), SIZE - 8}) {
                big.seek(at);
                big.write(("mark@" + at + "________").getBytes(StandardCharsets.US_ASCII), 0, 8);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void fourGibibytesWithAClientHeapOf256m() throws Exception {
        Path out = Files.createDirectories(work.resolve("out"));
        Path home = Files.createDirectories(work.resolve("home"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-jar", MpftCli.cliJar().toString(),
                "get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts",
                work.resolve("known_hosts").toString(), "--json", "alice@127.0.0.1:" + port + ":data/big.bin",
                "-o", out.resolve("big.bin").toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("MPFT_PASSWORD", "alice-pw");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Path stdout = work.resolve("stdout");
        Path stderr = work.resolve("stderr");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long started = System.nanoTime();
        Process process = pb.start();
        AtomicLong peakRss = new AtomicLong();
        while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
            peakRss.accumulateAndGet(rssKib(process.pid()), Math::max);
            if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(15)) {
                process.destroyForcibly();
                throw new AssertionError("no end after 15 min\n" + Files.readString(stderr));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String json = Files.readString(stdout);
        assertThat(process.exitValue()).as("exit code; stderr:\n%s\nhost:\n%s", Files.readString(stderr),
                host.output()).isZero();
        assertThat(Files.size(out.resolve("big.bin"))).isEqualTo(SIZE);
        String expected = sha256(host.home("alice").resolve("data/big.bin"));
        Matcher sha = Pattern.compile("\"sha256\":\"([0-9a-f]{64})\"").matcher(json);
        assertThat(sha.find()).as(json).isTrue();
        assertThat(sha.group(1)).isEqualTo(expected);
        assertThat(sha256(out.resolve("big.bin"))).isEqualTo(expected);
        System.out.printf("BigFileIT: 4 GiB in %.1f s (%.0f MB/s incl. the client's final hash), client peak RSS %d MiB"
                + " with -Xmx256m -XX:MaxDirectMemorySize=256m%n", seconds, SIZE / seconds / 1e6, peakRss.get() / 1024);
        // heap + direct capped at 256m each; the rest is the JVM itself (code, metaspace, threads)
        assertThat(peakRss.get() / 1024).as("client peak RSS, MiB").isLessThan(768);
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process just ended
        }
        return 0;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
