package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.transport.QuicTransport;

/**
 * The client's own safety, end to end: the real {@code mpft} command ({@link MpftCli}) against the real host
 * ({@link HostProcess}) with the real plugin jar, over QUIC on 127.0.0.1. A local attacker plants links
 * next to the output; kept chunks are damaged between two runs; a busy server makes the client wait.
 */
@Timeout(300)
class ClientSafetyIT {

    private static final String PASSWORD = "alice-pw";
    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 3 * MIB + 123;
    /** Slow enough (8 MB/s, 1 MiB chunks) that a run can be stopped halfway or overlapped by another. */
    private static final int BIG = 24 * MIB + 321;
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_600_000_000_000L);
    private static final byte[] VICTIM_BYTES = "another user's file: must keep its bytes and mtime\n".getBytes();

    @TempDir
    static Path shared;

    static HostProcess host;
    static int quicPort;
    static byte[] file;
    static byte[] big;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHost() throws Exception {
        quicPort = FreePorts.udp();
        // one session at a time: a second download meets a busy server
        host = HostProcess.builder(shared.resolve("host"))
                .user(HostProcess.User.withPassword("alice", PASSWORD).read("/pub"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(quicPort))
                .pluginProperty("mpft.max-sessions", "1")
                .pluginProperty("mpft.chunk-size", "1m")
                .pluginProperty("mpft.max-send-rate", "8m")
                .start();
        host.awaitOutput("channel 'mpft' started", Duration.ofSeconds(60));
        file = random(11, SIZE);
        big = random(12, BIG);
        Path pub = Files.createDirectories(host.home("alice").resolve("pub"));
        Files.write(pub.resolve("f.bin"), file);
        Files.write(pub.resolve("big.bin"), big);
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
        return getFile("pub/f.bin", output, more);
    }

    private String[] getFile(String remote, Path output, String... more) {
        String[] base = {"get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts",
            dir.resolve("known_hosts").toString(), "alice@127.0.0.1:" + quicPort + ":" + remote, "-o",
            output.toString()};
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

    /** The chunks a state file marks as held (its layout: {@code StateFile} in mpft-client). */
    private static BitSet heldChunks(Path state) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(state));
        in.position(8 + 2 + 8 + 8 + 4); // magic, version, size, mtime, chunk size
        for (int i = 0; i < 2; i++) { // server, remote path: u16 length + UTF-8
            int length = in.getShort() & 0xFFFF;
            in.position(in.position() + length);
        }
        in.getInt(); // chunk count
        byte[] bitmap = new byte[in.getInt()];
        in.get(bitmap);
        return BitSet.valueOf(bitmap);
    }

    @Test
    void aKeptChunkDamagedBetweenTwoRunsIsFetchedAgain() throws Exception {
        Path output = dir.resolve("big.bin");
        Path part = Path.of(output + ".mpft-part");
        Path state = Path.of(output + ".mpft-state");
        MpftCli.Run stopped = cli().run(List.of(), process -> {
            MpftCli.awaitSize(process, part, 8L * MIB);
            assertThat(process.isAlive()).as("the download ended before 8 MiB").isTrue();
            process.destroy(); // SIGTERM: the CLI cancels and keeps its partial download
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }, getFile("pub/big.bin", output));
        assertThat(stopped.exitCode()).as(stopped.toString()).isIn(130, 143); // SIGINT-style or 128 + SIGTERM
        BitSet held = heldChunks(state);
        assertThat(held.cardinality()).as("chunks kept").isPositive();

        int victim = held.nextSetBit(0);
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = (long) victim * MIB + 4321;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            channel.write(ByteBuffer.wrap(new byte[] {(byte) ~one.get(0)}), at);
        }

        MpftCli.Run resumed = cli().run(getFile("pub/big.bin", output, "--json"));
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.jsonNumber("resumedChunks")).isEqualTo(held.cardinality() - 1);
        assertThat(resumed.jsonString("sha256")).isEqualTo(sha256(big));
        assertThat(Files.readAllBytes(output)).isEqualTo(big);
    }

    /** A CLI run as a process of this test's, its stderr in a file the test can watch while it runs. */
    private record Running(Process process, Path stdout, Path stderr) {
        String err() throws Exception {
            return Files.readString(stderr);
        }
    }

    private Running start(Path folder, String... args) throws Exception {
        Files.createDirectories(folder);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", MpftCli.cliJar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile());
        pb.environment().put("HOME", folder.toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().put("MPFT_PASSWORD", PASSWORD);
        Path out = folder.resolve("stdout.txt");
        Path err = folder.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        return new Running(pb.start(), out, err);
    }

    /** Polls until the run's stderr contains {@code text} (or the run ended, or 120 s passed). */
    private static boolean awaitErr(Running run, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (run.err().contains(text)) {
                return true;
            }
            if (!run.process().isAlive()) {
                return run.err().contains(text);
            }
            Thread.sleep(20); // polling a condition, not a timing assumption
        }
        return false;
    }

    @Test
    void aBusyServerIsWaitedForNotAFailure() throws Exception {
        Path first = dir.resolve("first.bin");
        Path second = dir.resolve("second.bin");
        List<Running> runs = new ArrayList<>();
        try (QuicTransport transport = QuicTransport.create("busy-it", 1)) {
            // the host's only session is held by a logged-in connection of this test's
            RawConnection holder = new RawConnection(transport, quicPort);
            try {
                holder.login("alice", PASSWORD);
                runs.add(start(dir.resolve("a"), getFile("pub/f.bin", first, "--progress", "--json")));
                runs.add(start(dir.resolve("b"), getFile("pub/f.bin", second, "--progress", "--json")));
                for (Running run : runs) {
                    assertThat(awaitErr(run, "server busy, retrying in")).as(run.err()).isTrue();
                    assertThat(run.process().isAlive()).as("still waiting: " + run.err()).isTrue();
                }
            } finally {
                holder.close(); // the session is free: the two downloads get it in turn
            }
            for (Running run : runs) {
                assertThat(run.process().waitFor(240, TimeUnit.SECONDS)).as(run.err()).isTrue();
                assertThat(run.process().exitValue()).as(run.err()).isZero();
            }
        } finally {
            runs.forEach(run -> run.process().destroyForcibly());
        }
        assertThat(Files.readAllBytes(first)).isEqualTo(file);
        assertThat(Files.readAllBytes(second)).isEqualTo(file);
    }
}
