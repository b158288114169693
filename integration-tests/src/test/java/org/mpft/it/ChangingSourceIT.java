package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file rewritten in place on the server while {@code mpft get} runs never lands as a mix: the real CLI against
 * real host processes on loopback. The hosts send a known number of chunks, then hold the rest until the test
 * creates a gate file (the plugin's test hooks {@code mpft.test.hold-after-chunks} and
 * {@code mpft.test.hold-chunks-until}); with that many chunks on the client's disk, the test rewrites two 10 MiB
 * regions in place (one the client already holds, one it has not got) and opens the gate. The server's next read
 * sees the file's identity moved and ends the transfer with FILE_CHANGED; the client starts the file over from
 * scratch and gets the rewritten version whole. A file rewritten between two runs with its size and mtime
 * kept is caught by the server's digests of the chunks the client kept. Chunks are 1 MiB ({@link MultiPathHosts}).
 */
@Timeout(180)
class ChangingSourceIT {

    private static final int MIB = 1 << 20;
    private static final int CHUNKS = 64;
    private static final int REGION_CHUNKS = 10;

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

    @Test
    void aFileRewrittenInPlaceDuringASinglePathDownloadIsFetchedAgainWhole() throws Exception {
        Path gate = work.resolve("release-chunks");
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(), Map.of(), hold(gate, 24));
        Run run = downloadWhileRewriting(primary, gate, 24);
        assertThat(primary.process().output()).contains("FILE_CHANGED");
        System.out.println("[ChangingSourceIT] single path: " + run);
    }

    @Test
    void aFileRewrittenInPlaceDuringAMultiPathDownloadIsFetchedAgainWhole() throws Exception {
        // each host sends 12 chunks, then holds the rest; a 60 s timeout floor keeps the primary from dropping
        // the held secondary meanwhile. Both serve the same data folder: the secondary's copy changes too.
        Path gate = work.resolve("release-chunks");
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of(), hold(gate, 12));
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary),
                Map.of("mpft.chunk-timeout.min", "60s"), hold(gate, 12));
        MultiPathHosts.awaitLinks(primary, 1);
        Run run = downloadWhileRewriting(primary, gate, 24);
        assertThat(primary.process().output()).contains("FILE_CHANGED");
        System.out.println("[ChangingSourceIT] multi-path: " + run);
    }

    @Test
    void aFileRewrittenWithItsTimeSetBackBetweenTwoRunsIsNotResumedAsAMix() throws Exception {
        // the first run is killed with 24 chunks kept; the file is then rewritten in place and its size and
        // mtime are what the state file recorded, so only the server's digests of the kept chunks can tell
        Path gate = work.resolve("release-chunks");
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(), Map.of(), hold(gate, 24));
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/resumed.bin", CHUNKS * MIB, 62);
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(source);
        Path out = Files.createDirectories(work.resolve("out")).resolve("resumed.bin");
        Path state = Path.of(out + ".mpft-state");

        MpftCli.Run killed = cli.run(List.of(), process -> {
            MpftCli.awaitHeldChunks(process, state, 24);
            assertThat(process.isAlive()).as("the download ended before the kill").isTrue();
            process.destroyForcibly();
            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }, get(primary, "data/resumed.bin", out));
        assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(137);
        BitSet kept = heldChunks(state);
        assertThat(kept.cardinality()).isGreaterThanOrEqualTo(REGION_CHUNKS);
        int rewritten = 0;
        for (int chunk = kept.nextSetBit(0); chunk >= 0 && rewritten < REGION_CHUNKS;
                chunk = kept.nextSetBit(chunk + 1)) {
            rewrite(source, chunk, 1);
            rewritten++;
        }
        Files.setLastModifiedTime(source, mtime); // the same size and time as the kept part was of
        Files.createFile(gate);

        MpftCli.Run resumed = cli.run(get(primary, "data/resumed.bin", out));
        assertThat(resumed.exitCode()).as(resumed + "\n" + primary.process().output()).isZero();
        assertThat(MultiPathHosts.sha256(out)).isEqualTo(MultiPathHosts.sha256(source))
                .isEqualTo(resumed.jsonString("sha256"));
        assertThat(resumed.stderr()).contains("differs from the server's copy")
                .contains("changed on the server during the download; starting it over");
        assertThat(resumed.jsonNumber("resumedChunks")).isZero();
    }

    /** What a download while rewriting ended with: the chunks held when the file was rewritten. */
    private record Run(BitSet heldAtRewrite, MpftCli.Run cli) {
    }

    /**
     * Starts {@code mpft get}, waits until the client holds {@code sent} chunks, rewrites one region it holds and
     * one it has not got, opens the gate, and checks the outcome: exit 0 with the rewritten version whole.
     */
    private Run downloadWhileRewriting(MultiPathHosts.Host primary, Path gate, int sent) throws Exception {
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/changing.bin", CHUNKS * MIB, 61);
        Path out = Files.createDirectories(work.resolve("out")).resolve("changing.bin");
        Path part = Path.of(out + ".mpft-part");
        Path state = Path.of(out + ".mpft-state");
        BitSet[] held = new BitSet[1];

        MpftCli.Run run = cli.run(List.of(), process -> {
            MpftCli.awaitHeldChunks(process, state, sent);
            assertThat(process.isAlive()).as("the download ended before the rewrite").isTrue();
            held[0] = heldChunks(state);
            // an early region the client holds already, and the last 10 MiB, which no host has sent
            int early = 0;
            for (int chunk = held[0].nextSetBit(0); chunk >= 0 && early < REGION_CHUNKS;
                    chunk = held[0].nextSetBit(chunk + 1)) {
                rewrite(source, chunk, 1);
                early++;
            }
            assertThat(held[0].get(CHUNKS - REGION_CHUNKS, CHUNKS).isEmpty()).as("held: " + held[0]).isTrue();
            rewrite(source, CHUNKS - REGION_CHUNKS, REGION_CHUNKS);
            Files.createFile(gate); // the hosts send (and read) again
        }, get(primary, "data/changing.bin", out));

        assertThat(run.exitCode()).as(run + "\n" + primary.process().output()).isZero();
        // the rewritten version whole: not the original, not a mix of both
        assertThat(MultiPathHosts.sha256(out)).isEqualTo(MultiPathHosts.sha256(source))
                .isEqualTo(run.jsonString("sha256"));
        assertThat(run.stderr()).contains("changed on the server during the download; starting it over");
        assertThat(run.jsonNumber("resumedChunks")).isZero();
        assertThat(part).doesNotExist();
        assertThat(state).doesNotExist();
        return new Run(held[0], run);
    }

    private String[] get(MultiPathHosts.Host primary, String remote, Path out) {
        return new String[] {"get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts",
                work.resolve("known_hosts").toString(), "--strategy", "alternate", "--json", "--verbose",
                "alice@127.0.0.1:" + primary.port() + ":" + remote, "-o", out.toString()};
    }

    /** Overwrites {@code count} whole chunks from {@code firstChunk} in place (same size, same inode). */
    private static void rewrite(Path file, int firstChunk, int count) throws IOException {
        byte[] bytes = new byte[MIB];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < count; i++) {
                new Random(1000 + firstChunk + i).nextBytes(bytes);
                channel.write(ByteBuffer.wrap(bytes), (long) (firstChunk + i) * MIB);
            }
        }
    }

    /** The test hooks of a host that sends {@code chunks} chunks, then holds the rest until {@code gate} exists. */
    private static List<String> hold(Path gate, int chunks) {
        return List.of("-Dmpft.test.hold-chunks-until=" + gate, "-Dmpft.test.hold-after-chunks=" + chunks);
    }

    /** The chunks a state file records as held (the layout {@link MpftCli#heldChunks} reads). */
    private static BitSet heldChunks(Path state) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(state)); // replaced whole by a rename: never torn
        in.position(8 + 2 + 8 + 8 + 4); // magic, version, size, mtime, chunk size
        in.position(in.position() + 2 + Short.toUnsignedInt(in.getShort())); // server
        in.position(in.position() + 2 + Short.toUnsignedInt(in.getShort())); // remote path
        in.getInt(); // chunk count
        byte[] bitmap = new byte[in.getInt()];
        in.get(bitmap);
        return BitSet.valueOf(bitmap);
    }
}
