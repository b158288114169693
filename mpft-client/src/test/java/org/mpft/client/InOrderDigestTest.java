package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;

class InOrderDigestTest {

    private static final int CHUNK = ChunkPlan.MIN_CHUNK_SIZE;

    @TempDir
    Path dir;

    private static String sha256(byte[] bytes) {
        MessageDigest digest = ChecksumAlgorithm.sha256();
        return HexFormat.of().formatHex(digest.digest(bytes));
    }

    private static ByteBuffer chunk(byte[] source, ChunkPlan plan, int index) {
        return ByteBuffer.wrap(source, (int) plan.offset(index), plan.length(index)).slice();
    }

    private static FileChannel openPart(Path part) throws IOException {
        return FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Writes {@code order}'s chunks of {@code source} to the part file and tells {@code digest}, in turn. */
    private static void write(InOrderDigest digest, FileChannel channel, byte[] source, ChunkPlan plan,
                              List<Integer> order) throws IOException {
        for (int index : order) {
            ByteBuffer bytes = chunk(source, plan, index);
            channel.write(bytes.duplicate(), plan.offset(index));
            digest.written(index, bytes);
        }
    }

    /** Writes the chunks in the given order to a part file and hashes them as they go. */
    private String digestInOrder(byte[] source, List<Integer> order, BitSet held) throws IOException {
        ChunkPlan plan = new ChunkPlan(source.length, CHUNK);
        Path part = dir.resolve("f" + order.hashCode() + held.hashCode() + ".part");
        try (FileChannel channel = openPart(part)) {
            for (int i = held.nextSetBit(0); i >= 0; i = held.nextSetBit(i + 1)) {
                channel.write(chunk(source, plan, i), plan.offset(i));
            }
            InOrderDigest digest = new InOrderDigest(plan, channel, held);
            for (int index : order) {
                ByteBuffer bytes = chunk(source, plan, index);
                channel.write(bytes.duplicate(), plan.offset(index));
                digest.written(index, bytes);
                assertThat(bytes.remaining()).as("the caller's buffer is left alone").isEqualTo(plan.length(index));
            }
            return digest.finish();
        }
    }

    @Test
    void chunksInOrderGiveTheFilesSha256() throws IOException {
        byte[] source = new byte[5 * CHUNK + 123];
        new Random(1).nextBytes(source);
        assertThat(digestInOrder(source, List.of(0, 1, 2, 3, 4, 5), new BitSet())).isEqualTo(sha256(source));
    }

    @Test
    void chunksInAnyOrderGiveTheSameSha256() throws IOException {
        byte[] source = new byte[9 * CHUNK + 7];
        new Random(2).nextBytes(source);
        for (long seed = 0; seed < 5; seed++) {
            List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            Collections.shuffle(order, new Random(seed));
            assertThat(digestInOrder(source, order, new BitSet())).as("order %s", order).isEqualTo(sha256(source));
        }
    }

    @Test
    void chunksHeldFromAnEarlierRunAreReadBackFromThePartFile() throws IOException {
        byte[] source = new byte[6 * CHUNK];
        new Random(3).nextBytes(source);
        BitSet held = new BitSet();
        held.set(0);
        held.set(1);
        held.set(4);
        assertThat(digestInOrder(source, List.of(5, 3, 2), held)).isEqualTo(sha256(source));
    }

    @Test
    void readBacksPerChunkAreBoundedSoTheDownloadThreadNeverStallsLong() throws IOException {
        byte[] source = new byte[10 * CHUNK];
        new Random(4).nextBytes(source);
        ChunkPlan plan = new ChunkPlan(source.length, CHUNK);
        BitSet held = new BitSet();
        held.set(0, 9); // a resumed download: 9 of 10 chunks on disk already
        try (FileChannel channel = openPart(dir.resolve("bounded.part"))) {
            for (int i = 0; i < 9; i++) {
                channel.write(chunk(source, plan, i), plan.offset(i));
            }
            InOrderDigest digest = new InOrderDigest(plan, channel, held);
            channel.write(chunk(source, plan, 9), plan.offset(9));
            digest.written(9, chunk(source, plan, 9));
            assertThat(digest.hashedChunks()).isEqualTo(InOrderDigest.READ_BACKS_PER_CHUNK);
            assertThat(digest.finish()).isEqualTo(sha256(source));
        }
    }

    @Test
    void aMissingChunkIsAnErrorNotAWrongHash() throws IOException {
        byte[] source = new byte[3 * CHUNK];
        ChunkPlan plan = new ChunkPlan(source.length, CHUNK);
        try (FileChannel channel = openPart(dir.resolve("gap.part"))) {
            InOrderDigest digest = new InOrderDigest(plan, channel, new BitSet());
            digest.written(0, chunk(source, plan, 0));
            digest.written(2, chunk(source, plan, 2));
            assertThatThrownBy(digest::finish).isInstanceOf(IOException.class).hasMessageContaining("chunk 1 of 3");
        }
    }

    @Test
    void anEmptyFileHashesToTheEmptySha256() throws IOException {
        assertThat(digestInOrder(new byte[0], List.of(), new BitSet())).isEqualTo(sha256(new byte[0]));
    }

    @Test
    void deferredToThePrimaryNothingIsHashedAndThePrimarysDigestIsTheAnswer() throws IOException {
        byte[] source = new byte[4 * CHUNK + 9];
        new Random(11).nextBytes(source);
        ChunkPlan plan = new ChunkPlan(source.length, CHUNK);
        Path part = dir.resolve("deferred.part");
        try (FileChannel channel = openPart(part)) {
            InOrderDigest digest = new InOrderDigest(plan, channel, new BitSet());
            digest.deferToPrimary();
            assertThat(digest.awaitsPrimary()).isTrue();
            write(digest, channel, source, plan, List.of(0, 1, 2, 3, 4));
            assertThat(digest.hashedChunks()).as("no chunk hashed here").isZero();
            byte[] primary = new byte[32];
            primary[0] = 7; // the primary's word is taken: this side does not hash to compare
            digest.fromPrimary(primary);
            assertThat(digest.awaitsPrimary()).isFalse();
            assertThat(digest.finish()).isEqualTo(HexFormat.of().formatHex(primary));
        }
    }

    @Test
    void anEmptyDigestFromThePrimaryHandsTheHashingBack() throws IOException {
        byte[] source = new byte[5 * CHUNK + 1];
        new Random(12).nextBytes(source);
        ChunkPlan plan = new ChunkPlan(source.length, CHUNK);
        Path part = dir.resolve("handed-back.part");
        try (FileChannel channel = openPart(part)) {
            InOrderDigest digest = new InOrderDigest(plan, channel, new BitSet());
            digest.deferToPrimary();
            write(digest, channel, source, plan, List.of(0, 1, 2));
            digest.fromPrimary(new byte[0]);
            assertThat(digest.awaitsPrimary()).isFalse();
            write(digest, channel, source, plan, List.of(4, 3, 5));
            assertThat(digest.finish()).isEqualTo(sha256(source));
        }
    }

    @Test
    void aDigestThatNeverCameIsAnErrorNotAGuess() throws IOException {
        ChunkPlan plan = new ChunkPlan(CHUNK, CHUNK);
        try (FileChannel channel = openPart(dir.resolve("never.part"))) {
            InOrderDigest digest = new InOrderDigest(plan, channel, new BitSet());
            digest.deferToPrimary();
            ByteBuffer bytes = ByteBuffer.allocate(CHUNK);
            channel.write(bytes.duplicate(), 0);
            digest.written(0, bytes);
            assertThatThrownBy(digest::finish).isInstanceOf(IOException.class)
                    .hasMessageContaining("the primary's digest of the file never came");
        }
    }

    @Test
    void withoutDeferralTheFilesOwnDigestIsKeptWhateverThePrimarySends() throws IOException {
        byte[] source = new byte[2 * CHUNK];
        new Random(13).nextBytes(source);
        ChunkPlan plan = new ChunkPlan(source.length, CHUNK);
        try (FileChannel channel = openPart(dir.resolve("own.part"))) {
            InOrderDigest digest = new InOrderDigest(plan, channel, new BitSet());
            digest.fromPrimary(new byte[32]);
            write(digest, channel, source, plan, List.of(0, 1));
            assertThat(digest.finish()).isEqualTo(sha256(source));
        }
    }
}
