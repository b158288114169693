package org.mpft.plugin.primary;

import org.mpft.plugin.testsupport.FakeHost;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.ChunkPlan;

class DigestAheadTest {

    private static final int CHUNK = 4096;

    @Test
    void digestsComeInGrowingBatchesAndMatchTheChunks() throws Exception {
        byte[] content = new byte[40 * CHUNK + 123];
        new Random(4).nextBytes(content);
        FakeHost host = new FakeHost().put("u", "f.bin", content, 77);
        ReadableFile file = host.context(Path.of(".")).fileAccess().openForRead(Principal.of("u"), "f.bin");
        ChunkPlan plan = new ChunkPlan(content.length, CHUNK);
        DigestAhead digests = new DigestAhead(5, "u", "f.bin-" + System.nanoTime(), file, plan, ChecksumAlgorithm.SHA256,
                new DigestStore(Path.of("."), 0), null);
        List<ChunkDigests> frames = new ArrayList<>();
        List<Integer> frontiers = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        List<byte[]> fileDigests = new ArrayList<>();
        digests.start(Runnable::run, (frame, frontier) -> {
            frames.add(frame);
            frontiers.add(frontier);
        }, whole -> {
            assertThat(frontiers).as("after the last frame").endsWith(plan.chunkCount());
            fileDigests.add(whole);
        }, failures::add);

        assertThat(failures).isEmpty();
        assertThat(fileDigests).as("the whole file's SHA-256, once")
                .containsExactly(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(content)));
        assertThat(frontiers).containsExactly(1, 3, 7, 15, 31, 41);
        assertThat(frames).extracting(ChunkDigests::firstChunk).containsExactly(0, 1, 3, 7, 15, 31);
        assertThat(frames).allMatch(f -> f.transferId() == 5);
        for (int chunk = 0; chunk < plan.chunkCount(); chunk++) {
            ByteBuffer bytes = ByteBuffer.wrap(content, (int) plan.offset(chunk), plan.length(chunk));
            byte[] expected = ChecksumAlgorithm.SHA256.compute(bytes);
            assertThat(digests.digest(chunk)).isEqualTo(expected);
            assertThat(digests.matches(chunk, Bytes.of(expected))).isTrue();
            expected[0] ^= 1;
            assertThat(digests.matches(chunk, Bytes.of(expected))).isFalse();
        }
        byte[] all = frames.get(5).digests().toByteArray();
        assertThat(all).hasSize(10 * 32);
    }

    @Test
    void forAResumingClientOnlyTheKeptChunksAreDigestedInRunsOfConsecutiveChunks() throws Exception {
        byte[] content = new byte[40 * CHUNK + 123];
        new Random(5).nextBytes(content);
        FakeHost host = new FakeHost().put("u", "g.bin", content, 77);
        ReadableFile file = host.context(Path.of(".")).fileAccess().openForRead(Principal.of("u"), "g.bin");
        ChunkPlan plan = new ChunkPlan(content.length, CHUNK);
        java.util.BitSet kept = new java.util.BitSet();
        kept.set(0, 3);
        kept.set(5);
        kept.set(10, 13);
        kept.set(39, 41);
        DigestAhead digests = new DigestAhead(6, "u", "g.bin-" + System.nanoTime(), file, plan, ChecksumAlgorithm.SHA256,
                new DigestStore(Path.of("."), 0), kept);
        List<ChunkDigests> frames = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        List<byte[]> fileDigests = new ArrayList<>();
        digests.start(Runnable::run, (frame, frontier) -> frames.add(frame), fileDigests::add, failures::add);
        assertThat(fileDigests).as("no whole-file digest from a read of some chunks").isEmpty();

        assertThat(failures).isEmpty();
        java.util.BitSet covered = new java.util.BitSet();
        for (ChunkDigests frame : frames) {
            byte[] all = frame.digests().toByteArray();
            for (int i = 0; i < all.length / 32; i++) {
                int chunk = frame.firstChunk() + i;
                covered.set(chunk);
                ByteBuffer bytes = ByteBuffer.wrap(content, (int) plan.offset(chunk), plan.length(chunk));
                assertThat(java.util.Arrays.copyOfRange(all, i * 32, i * 32 + 32)).as("chunk %d", chunk)
                        .isEqualTo(ChecksumAlgorithm.SHA256.compute(bytes));
            }
        }
        assertThat(covered).as("exactly the kept chunks").isEqualTo(kept);
        assertThat(frames).extracting(ChunkDigests::firstChunk).containsExactly(0, 1, 5, 10, 39);
    }

    /**
     * The digest threads are shared by every multi-path transfer of the primary, and a transfer reads its whole
     * file: a big file must not hold them while another transfer's secondaries wait for their first digests. Each
     * turn on a thread goes on to the first frame after 16 chunks and queues the rest behind what else is waiting.
     */
    @Test
    void aBigFileTakesTurnsWithTheTransfersQueuedBehindIt() throws Exception {
        byte[] big = new byte[400 * CHUNK];
        byte[] small = new byte[3 * CHUNK];
        new Random(6).nextBytes(big);
        new Random(7).nextBytes(small);
        FakeHost host = new FakeHost().put("u", "big.bin", big, 77).put("u", "small.bin", small, 77);
        java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>(); // the digest threads' queue, run by hand
        List<Integer> bigFrontiers = new ArrayList<>();
        List<Integer> smallFrontiers = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        List<byte[]> bigDigest = new ArrayList<>();
        DigestAhead first = digestAhead(host, "big.bin", big.length, 8);
        first.start(queue::add, (frame, frontier) -> bigFrontiers.add(frontier), bigDigest::add, failures::add);
        DigestAhead second = digestAhead(host, "small.bin", small.length, 9);
        second.start(queue::add, (frame, frontier) -> smallFrontiers.add(frontier), w -> { }, failures::add);

        int turns = 0;
        while (!queue.isEmpty() && smallFrontiers.stream().noneMatch(f -> f == 3)) {
            queue.poll().run();
            turns++;
        }
        assertThat(smallFrontiers).as("every digest of the small file").endsWith(3);
        assertThat(bigFrontiers).as("the big file's digests so far").isNotEmpty().allMatch(f -> f < 400);
        assertThat(turns).as("turns on the thread before the small file had its digests").isEqualTo(2);

        while (!queue.isEmpty()) {
            queue.poll().run();
        }
        assertThat(failures).isEmpty();
        assertThat(bigFrontiers).as("frames of at most 16 chunks, in order, to the end")
                .startsWith(1, 3, 7, 15, 31, 47).endsWith(400).isSorted();
        assertThat(bigDigest).containsExactly(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(big)));
        for (int chunk = 0; chunk < 400; chunk++) {
            assertThat(first.digest(chunk)).as("chunk %d", chunk)
                    .isEqualTo(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(big, chunk * CHUNK, CHUNK)));
        }
    }

    private static DigestAhead digestAhead(FakeHost host, String name, int size, long transferId) throws Exception {
        ReadableFile file = host.context(Path.of(".")).fileAccess().openForRead(Principal.of("u"), name);
        return new DigestAhead(transferId, "u", name + "-" + System.nanoTime(), file, new ChunkPlan(size, CHUNK),
                ChecksumAlgorithm.SHA256, new DigestStore(Path.of("."), 0), null);
    }
}
