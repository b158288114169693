package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery, faults on the client's side, with the real CLI as a process against real host processes
 * on loopback: the CLI killed with SIGKILL halfway, then run again (it resumes and fetches only the missing
 * chunks), and the disk filling up in the middle of a download (a small tmpfs, mounted by the test when it
 * runs as root; skipped otherwise): exit 6, nothing under the final name, the partial download kept, and a run
 * with space again resumes. The hosts stop the download at a known point with the plugin's test hooks
 * {@code mpft.test.hold-after-chunks} and {@code mpft.test.hold-chunks-until}: N chunks, then nothing until the
 * test creates the gate file. Chunks are 1 MiB ({@link MultiPathHosts}).
 */
@Timeout(180)
class ClientRecoveryIT {

    private static final int MIB = 1 << 20;

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private Path secret;
    private MpftCli cli;

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
        secret = hosts.secret("cluster.secret", "c".repeat(48));
        cli = new MpftCli(Files.createDirectories(work.resolve("cli")), MultiPathHosts.PASSWORD);
    }

    @AfterEach
    void tearDown() {
        hosts.close();
    }

    private String[] get(MultiPathHosts.Host primary, String remote, Path out) {
        return new String[] {"get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts",
                work.resolve("known_hosts").toString(), "--strategy", "alternate", "--json", "--verbose",
                "alice@127.0.0.1:" + primary.port() + ":" + remote, "-o", out.toString()};
    }

    @Test
    void clientKilledHalfwayResumesAndFetchesOnlyTheMissingChunks() throws Exception {
        // each host sends 16 chunks, then holds the rest until the gate file exists: the CLI is killed with
        // 32 of 65 chunks held, however fast the machine; a 60 s timeout floor keeps the primary from dropping
        // the held secondary meanwhile
        Path gate = work.resolve("release-chunks");
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of(), hold(gate, 16));
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary),
                Map.of("mpft.chunk-timeout.min", "60s"), hold(gate, 16));
        MultiPathHosts.awaitLinks(primary, 1);
        int size = 64 * MIB + 777;
        int chunks = 65;
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/half.bin", size, 51);
        Path out = Files.createDirectories(work.resolve("out")).resolve("half.bin");
        Path part = Path.of(out + ".mpft-part");
        Path state = Path.of(out + ".mpft-state");

        MpftCli.Run killed = cli.run(List.of(), process -> {
            MpftCli.awaitHeldChunks(process, state, 32);
            assertThat(process.isAlive()).as("the download ended before 50%").isTrue();
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no last state write
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }, get(primary, "data/half.bin", out));
        assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(137);
        assertThat(out).doesNotExist();
        assertThat(part).exists();
        assertThat(state).exists();

        Files.createFile(gate); // the hosts send every chunk from now on
        MpftCli.Run resumed = cli.run(get(primary, "data/half.bin", out));
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(MultiPathHosts.sha256(out)).isEqualTo(MultiPathHosts.sha256(source))
                .isEqualTo(resumed.jsonString("sha256"));
        long resumedChunks = resumed.jsonNumber("resumedChunks");
        assertThat(resumed.jsonNumber("chunks")).isEqualTo(chunks);
        assertThat(resumedChunks).isPositive().isLessThan(chunks);
        // only the missing chunks came over the network, each once
        List<Integer> fromPrimary = resumed.chunkIndices(primary.server());
        List<Integer> fromSecondary = resumed.chunkIndices(secondary.server());
        Set<Integer> fetched = new HashSet<>(fromPrimary);
        fetched.addAll(fromSecondary);
        assertThat(fetched).hasSize(fromPrimary.size() + fromSecondary.size());
        assertThat((long) fetched.size()).isEqualTo(chunks - resumedChunks);
        assertThat(part).doesNotExist();
        assertThat(state).doesNotExist();
        System.out.println("[ClientRecoveryIT] killed at 50%: " + resumedChunks + " of " + chunks
                + " chunks resumed, " + fetched.size() + " fetched");
    }

    @Test
    void diskFullMidTransferStopsCleanlyKeepsThePartialDownloadAndResumes() throws Exception {
        Path disk = Files.createDirectories(work.resolve("disk"));
        Assumptions.assumeTrue(command("mount", "-t", "tmpfs", "-o", "size=40m,mode=0700", "tmpfs", disk.toString()),
                "mounting a tmpfs needs root");
        try {
            // the host sends 8 chunks, then holds the rest until the gate file exists (outside the small disk)
            Path gate = work.resolve("release-chunks");
            MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(), Map.of(), hold(gate, 8));
            int size = 30 * 1000 * 1000;
            Path source = MultiPathHosts.randomFile(hosts.home(), "data/disk.bin", size, 52);
            Path out = disk.resolve("disk.bin");
            Path part = Path.of(out + ".mpft-part");
            Path state = Path.of(out + ".mpft-state");
            Path filler = disk.resolve("filler");

            MpftCli.Run full = cli.run(List.of(), process -> {
                MpftCli.awaitHeldChunks(process, state, 8);
                assertThat(process.isAlive()).as("the download ended before the disk filled").isTrue();
                fill(filler); // another program takes the rest of the disk
                Files.createFile(gate); // the next chunks find no space
            }, get(primary, "data/disk.bin", out));

            assertThat(full.exitCode()).as(full + "\n" + primary.process().output()).isEqualTo(6);
            assertThat(full.stderr()).startsWith("mpft: ").contains("data/disk.bin").contains("chunk")
                    .contains("127.0.0.1:" + primary.port()).contains("No space left on device")
                    .contains("the partial download is kept in " + part)
                    .contains("run the same command again to resume");
            // --json: the failure as one object on stdout, the same exit code and message
            assertThat(full.stdout().strip()).startsWith("{\"error\":{\"exitCode\":6,\"name\":\"no-space\"")
                    .contains("No space left on device").doesNotContain("\n");
            assertThat(out).doesNotExist();
            assertThat(part).exists();
            assertThat(state).exists();

            Files.delete(filler); // space again
            MpftCli.Run resumed = cli.run(get(primary, "data/disk.bin", out));
            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.jsonNumber("resumedChunks")).isPositive();
            assertThat(MultiPathHosts.sha256(out)).isEqualTo(MultiPathHosts.sha256(source));
            assertThat(part).doesNotExist();
            assertThat(state).doesNotExist();
        } finally {
            command("umount", "-l", disk.toString());
        }
    }

    /** The test hooks of a host that sends {@code chunks} chunks, then holds the rest until {@code gate} exists. */
    private static List<String> hold(Path gate, int chunks) {
        return List.of("-Dmpft.test.hold-chunks-until=" + gate, "-Dmpft.test.hold-after-chunks=" + chunks);
    }

    /** Writes {@code file} until the file system is full. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private static boolean command(String... args) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
