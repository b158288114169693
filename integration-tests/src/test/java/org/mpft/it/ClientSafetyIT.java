package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's own safety, end to end: the real {@code mpft} command ({@link MpftCli}) against the real host
 * ({@link HostProcess}) with the real plugin jar, over QUIC on 127.0.0.1. A local attacker plants links
 * next to the output; kept chunks are damaged between two runs; a busy server makes the client wait.
 */
@Timeout(300)
class ClientSafetyIT {

    private static final String PASSWORD = "alice-pw";
    private static final int SIZE = 3 * 1024 * 1024 + 123;
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_600_000_000_000L);
    private static final byte[] VICTIM_BYTES = "another user's file: must keep its bytes and mtime\n".getBytes();

    @TempDir
    static Path shared;

    static HostProcess host;
    static int quicPort;
    static byte[] file;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHost() throws Exception {
        quicPort = FreePorts.udp();
        host = startHost(shared.resolve("host"), quicPort, "mpft.max-sessions", "64");
        file = random(11, SIZE);
        Files.write(Files.createDirectories(host.home("alice").resolve("pub")).resolve("f.bin"), file);
    }

    static HostProcess startHost(Path workDir, int port, String key, String value) throws Exception {
        HostProcess started = HostProcess.builder(workDir)
                .user(HostProcess.User.withPassword("alice", PASSWORD).read("/pub"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(port))
                .pluginProperty(key, value)
                .start();
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

    private MpftCli cli() {
        return new MpftCli(dir, PASSWORD);
    }

    private String[] get(int port, Path output, String... more) {
        String[] base = {"get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts",
            dir.resolve("known_hosts").toString(), "alice@127.0.0.1:" + port + ":pub/f.bin", "-o", output.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** A file of "another user" outside the output's folder, with an old mtime. */
    private Path victim() throws Exception {
        Path victim = Files.createDirectories(dir.resolve("elsewhere")).resolve("victim.txt");
        Files.write(victim, VICTIM_BYTES);
        Files.setLastModifiedTime(victim, LONG_AGO);
        return victim;
    }

    private static void assertUntouched(Path victim) throws Exception {
        assertThat(Files.readAllBytes(victim)).isEqualTo(VICTIM_BYTES);
        assertThat(Files.getLastModifiedTime(victim)).isEqualTo(LONG_AGO);
    }

    @Test
    void plantedPartAndStateLinksAreRefusedAndTheirTargetsUntouched() throws Exception {
        Path victim = victim();
        Path folder = Files.createDirectories(dir.resolve("shared-folder"));
        Path output = folder.resolve("out.bin");
        for (String suffix : new String[] {".mpft-part", ".mpft-state", ".mpft-state.tmp"}) {
            Path link = Files.createSymbolicLink(folder.resolve("out.bin" + suffix), victim);
            MpftCli.Run run = cli().run(get(quicPort, output));
            assertThat(run.exitCode()).as(suffix + ": " + run).isEqualTo(2);
            assertThat(run.stderr()).as(suffix).contains(link.toString()).contains("symbolic link");
            assertThat(Files.exists(output, LinkOption.NOFOLLOW_LINKS)).as(suffix).isFalse();
            assertThat(Files.isSymbolicLink(link)).as(suffix).isTrue();
            assertUntouched(victim);
            Files.delete(link);
        }
        // with the links gone, the same command downloads the file
        MpftCli.Run run = cli().run(get(quicPort, output, "--json"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(output)).isEqualTo(file);
    }

    @Test
    void aLinkPlantedUnderTheOutputsNameIsReplacedNotWrittenThrough() throws Exception {
        Path victim = victim();
        Path output = Files.createSymbolicLink(dir.resolve("out.bin"), victim);
        MpftCli.Run run = cli().run(get(quicPort, output, "--json"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.isSymbolicLink(output)).isFalse();
        assertThat(Files.readAllBytes(output)).isEqualTo(file);
        assertThat(run.jsonString("sha256")).isEqualTo(sha256(file));
        assertUntouched(victim);
    }
}
