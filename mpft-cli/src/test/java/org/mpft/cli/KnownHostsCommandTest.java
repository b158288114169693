package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.KnownHostsFile;

class KnownHostsCommandTest {

    private static final String A = KnownHostsFile.fingerprint(new byte[32]);
    private static final String B = KnownHostsFile.fingerprint(filled(7));

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path file;

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @BeforeEach
    void knownHosts() throws Exception {
        file = Files.createDirectories(dir.resolve("home/.mpft")).resolve("known_hosts");
        Files.writeString(file, "# mine\nfiles.example.org:7300 " + A + "\nFILES.example.org:7301 " + B
                + "\n[::1]:7300 " + B + "\nother:7300 " + A + "\n");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        CliEnvironment env = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, null, Map.<String, String>of()::get,
                dir.resolve("home"), () -> {
                    throw new AssertionError("no network for known-hosts");
                }, false);
        return MpftCommand.run(env, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listPrintsHostPortAndFingerprint() {
        assertThat(run("known-hosts", "list")).isZero();
        assertThat(out().lines()).containsExactly("files.example.org:7300 " + A, "FILES.example.org:7301 " + B,
                "[::1]:7300 " + B, "other:7300 " + A);
    }

    @Test
    void listOfAnotherFileAndOfNoFile() throws Exception {
        Path other = dir.resolve("other_hosts");
        Files.writeString(other, "h:1 " + A + "\n");
        assertThat(run("known-hosts", "list", "--known-hosts", other.toString())).isZero();
        assertThat(out()).isEqualTo("h:1 " + A + System.lineSeparator());
        assertThat(run("known-hosts", "list", "--known-hosts", dir.resolve("none").toString())).isZero();
        assertThat(out()).isEmpty();
    }

    @Test
    void removeOnePort() throws Exception {
        assertThat(run("known-hosts", "remove", "files.example.org:7301")).isZero();
        assertThat(out()).isEqualTo("removed FILES.example.org:7301 " + B + " from " + file + System.lineSeparator());
        assertThat(Files.readString(file)).isEqualTo("# mine\nfiles.example.org:7300 " + A + "\n[::1]:7300 " + B
                + "\nother:7300 " + A + "\n");
    }

    @Test
    void removeEveryPortOfAHostAndIpv6() throws Exception {
        assertThat(run("known-hosts", "remove", "files.EXAMPLE.org")).isZero();
        assertThat(out().lines()).hasSize(2);
        assertThat(run("known-hosts", "remove", "::1")).isZero();
        assertThat(out()).startsWith("removed [::1]:7300 ");
        assertThat(Files.readString(file)).isEqualTo("# mine\nother:7300 " + A + "\n");
    }

    @Test
    void nothingMatchedSaysSoAndFails() throws Exception {
        String before = Files.readString(file);
        assertThat(run("known-hosts", "remove", "other:7301")).isEqualTo(1);
        assertThat(err()).contains("no pinned certificate of other:7301").contains(file.toString());
        assertThat(out()).isEmpty();
        assertThat(run("known-hosts", "remove", "[::2]:7300")).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void badServersAreUsageErrors() {
        assertThat(run("known-hosts", "remove", "h:0")).isEqualTo(2);
        assertThat(err()).contains("HOST[:PORT]").contains("1 to 65535");
        assertThat(run("known-hosts", "remove", "h:x")).isEqualTo(2);
        assertThat(run("known-hosts", "remove", "[::1")).isEqualTo(2);
        assertThat(run("known-hosts", "remove", ":7300")).isEqualTo(2);
        assertThat(run("known-hosts", "remove")).isEqualTo(2);
        assertThat(run("known-hosts")).isEqualTo(2);
        assertThat(err()).contains("list or remove");
    }
}
