package org.mpft.plugin.primary;

import org.mpft.plugin.testsupport.CountingFile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;

/**
 * Digests kept in memory and in the data folder: a tree remembered whole, the memory's bound, a round trip, a
 * restarted primary that does not read the file again, a changed file that never meets its old digests, hostile
 * paths, damaged files and the folder's bound.
 */
class DigestStoreTest {

    private static final int CHUNK = 4096;

    @TempDir
    Path dir;

    @Test
    void storedDigestsComeBackForTheSameVersionOnly() {
        DigestStore store = new DigestStore(dir.resolve("digests"), 1 << 20);
        DigestStore.Version v = new DigestStore.Version("alice", "data/big.iso", 10 * CHUNK, 1000, CHUNK,
                ChecksumAlgorithm.SHA256);
        DigestStore.FileDigests digests = digests(10, 32, 1);
        store.save(v, digests);

        assertThat(store.load(v, 10)).hasValueSatisfying(d -> {
            assertThat(d.chunks()).isDeepEqualTo(digests.chunks());
            assertThat(d.file()).isEqualTo(digests.file());
        });
        // any part of the identity changed: no digests (a changed file never gets stale ones)
        assertThat(store.load(new DigestStore.Version("alice", "data/big.iso", 10 * CHUNK, 1001, CHUNK,
                ChecksumAlgorithm.SHA256), 10)).isEmpty();
        assertThat(store.load(new DigestStore.Version("alice", "data/big.iso", 10 * CHUNK + 1, 1000, CHUNK,
                ChecksumAlgorithm.SHA256), 11)).isEmpty();
        assertThat(store.load(new DigestStore.Version("bob", "data/big.iso", 10 * CHUNK, 1000, CHUNK,
                ChecksumAlgorithm.SHA256), 10)).isEmpty();
        assertThat(store.load(new DigestStore.Version("alice", "data/big.iso", 10 * CHUNK, 1000, 2 * CHUNK,
                ChecksumAlgorithm.SHA256), 5)).isEmpty();
        assertThat(store.load(new DigestStore.Version("alice", "data/big.iso", 10 * CHUNK, 1000, CHUNK,
                ChecksumAlgorithm.CRC32C), 10)).isEmpty();
    }

    @Test
    void fileNamesArePathSafeWhateverThePath() throws IOException {
        DigestStore store = new DigestStore(dir.resolve("digests"), 1 << 20);
        DigestStore.Version v = new DigestStore.Version("../../etc", "../../../x\u0000y/ü z", 4, 1, CHUNK,
                ChecksumAlgorithm.CRC32C);
        store.save(v, digests(1, 4, 2));
        try (Stream<Path> files = Files.list(dir.resolve("digests"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .singleElement().asString().matches("[0-9a-f]{64}\\.dig");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile)).allMatch(p -> p.startsWith(dir.resolve("digests")));
        }
        assertThat(store.load(v, 1)).isPresent();
    }

    @Test
    void aDamagedFileIsAMissAndIsRemoved() throws IOException {
        DigestStore store = new DigestStore(dir, 1 << 20);
        DigestStore.Version v = new DigestStore.Version("u", "f", 3 * CHUNK, 5, CHUNK, ChecksumAlgorithm.SHA256);
        store.save(v, digests(3, 32, 3));
        Path file = dir.resolve(v.fileName());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 7));
        assertThat(store.load(v, 3)).isEmpty();
        assertThat(file).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty(); // no temporary file left behind either
        }
    }

    @Test
    void theFolderStaysWithinItsBoundDroppingTheLeastRecentlyUsed() throws IOException {
        // each file: 100 digests of 32 bytes + a small header
        DigestStore store = new DigestStore(dir, 3 * 100 * 32 + 600);
        List<DigestStore.Version> versions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            DigestStore.Version v = new DigestStore.Version("u", "f" + i, 100L * CHUNK, i, CHUNK,
                    ChecksumAlgorithm.SHA256);
            versions.add(v);
            store.save(v, digests(100, 32, i));
            Files.setLastModifiedTime(dir.resolve(v.fileName()), FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        long total;
        try (Stream<Path> files = Files.list(dir)) {
            total = files.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(total).isLessThanOrEqualTo(3 * 100 * 32 + 600);
        assertThat(store.load(versions.get(0), 100)).isEmpty();
        assertThat(store.load(versions.get(4), 100)).isPresent();
        // a file larger than the whole bound is not stored at all
        DigestStore tiny = new DigestStore(dir.resolve("tiny"), 100);
        tiny.save(versions.get(0), digests(100, 32, 9));
        assertThat(dir.resolve("tiny")).doesNotExist();
    }

    @Test
    void savingAVersionAgainReplacesItsBytesInTheCountAndEvictsNothing() throws IOException {
        // room for two files: saving the second one over and over must not push the first one out
        DigestStore store = new DigestStore(dir, 2 * 100 * 32 + 400);
        DigestStore.Version first = new DigestStore.Version("u", "a", 100L * CHUNK, 1, CHUNK, ChecksumAlgorithm.SHA256);
        DigestStore.Version second = new DigestStore.Version("u", "b", 100L * CHUNK, 1, CHUNK, ChecksumAlgorithm.SHA256);
        store.save(first, digests(100, 32, 1));
        for (int i = 0; i < 10; i++) {
            store.save(second, digests(100, 32, 2 + i));
        }
        assertThat(store.load(first, 100)).isPresent();
        assertThat(store.load(second, 100)).hasValueSatisfying(
                d -> assertThat(d.chunks()[0]).isEqualTo(digests(100, 32, 11).chunks()[0]));
    }

    @Test
    void aRestartedPrimaryTakesItsDigestsFromTheStoreWithoutReadingTheFile() throws Exception {
        byte[] content = new byte[20 * CHUNK + 5];
        new Random(7).nextBytes(content);
        DigestStore store = new DigestStore(dir.resolve("digests"), 1 << 20);
        ChunkPlan plan = new ChunkPlan(content.length, CHUNK);
        String path = "big-" + System.nanoTime();

        CountingFile firstFile = new CountingFile(content, 1000);
        DigestAhead first = new DigestAhead(1, "u", path, firstFile, plan, ChecksumAlgorithm.SHA256, store, null);
        byte[] fileDigest = run(first);
        assertThat(firstFile.reads.get()).isPositive();
        assertThat(first.fromStore()).isFalse();
        assertThat(fileDigest).isEqualTo(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(content)));

        DigestStore restarted = new DigestStore(dir.resolve("digests"), 1 << 20); // the primary restarts
        CountingFile secondFile = new CountingFile(content, 1000);
        DigestAhead second = new DigestAhead(2, "u", path, secondFile, plan, ChecksumAlgorithm.SHA256, restarted, null);
        assertThat(run(second)).as("the file's digest, from the store").isEqualTo(fileDigest);
        assertThat(secondFile.reads.get()).isZero();
        assertThat(second.fromStore()).isTrue();
        for (int chunk = 0; chunk < plan.chunkCount(); chunk++) {
            assertThat(second.digest(chunk)).isEqualTo(ChecksumAlgorithm.SHA256.compute(
                    ByteBuffer.wrap(content, (int) plan.offset(chunk), plan.length(chunk))));
        }
    }

    @Test
    void aFileOfFewChunksIsNotKeptOnDisk() throws Exception {
        byte[] content = new byte[(DigestAhead.MIN_STORED_CHUNKS - 1) * CHUNK];
        new Random(9).nextBytes(content);
        Path folder = dir.resolve("digests-few");
        DigestStore store = new DigestStore(folder, 1 << 20);
        ChunkPlan plan = new ChunkPlan(content.length, CHUNK);
        String path = "few-" + System.nanoTime();
        DigestAhead first = new DigestAhead(1, "u", path, new CountingFile(content, 1000), plan,
                ChecksumAlgorithm.SHA256, store, null);
        assertThat(run(first)).as("no whole-file digest of a file this small").isNull();
        assertThat(first.digest(plan.chunkCount() - 1)).isNotNull();
        assertThat(folder).doesNotExist();

        DigestStore restarted = new DigestStore(folder, 1 << 20);
        CountingFile again = new CountingFile(content, 1000);
        DigestAhead second = new DigestAhead(2, "u", path, again, plan, ChecksumAlgorithm.SHA256, restarted, null);
        run(second);
        assertThat(second.fromStore()).isFalse();
        assertThat(again.reads.get()).isPositive();
    }

    @Test
    void aSecondDownloadOfATreeOfTwoThousandSmallFilesReadsNoneOfThem() throws Exception {
        DigestStore store = new DigestStore(dir.resolve("digests-tree"), 1 << 20);
        byte[] content = new byte[2 * CHUNK];
        new Random(10).nextBytes(content);
        ChunkPlan plan = new ChunkPlan(content.length, CHUNK);
        for (int i = 0; i < 2000; i++) {
            run(new DigestAhead(i, "u", "tree/file-" + i, new CountingFile(content, 1000), plan,
                    ChecksumAlgorithm.SHA256, store, null));
        }
        int read = 0;
        for (int i = 0; i < 2000; i++) {
            CountingFile again = new CountingFile(content, 1000);
            DigestAhead second = new DigestAhead(2000 + i, "u", "tree/file-" + i, again, plan,
                    ChecksumAlgorithm.SHA256, store, null);
            run(second);
            assertThat(second.digest(1)).isEqualTo(ChecksumAlgorithm.SHA256.compute(
                    ByteBuffer.wrap(content, CHUNK, CHUNK)));
            read += again.reads.get() > 0 ? 1 : 0;
        }
        assertThat(read).as("files read again for their digests").isZero();
    }

    @Test
    void theDigestsInMemoryStayWithinTheirBound() {
        DigestStore store = new DigestStore(dir.resolve("digests-bound"), 0);
        DigestStore.Version huge = new DigestStore.Version("u", "huge.img", 1L << 42, 1000, 4 << 20,
                ChecksumAlgorithm.SHA256);
        DigestStore.FileDigests hugeDigests = digests(1 << 20, 32, 1); // 4 TiB in 4 MiB chunks
        assertThat(DigestStore.weight(huge, hugeDigests)).isGreaterThan((int) DigestStore.MEMORY_BYTES);
        store.remember(huge, hugeDigests);
        assertThat(store.remembered(huge)).as("heavier than the whole memory").isNull();

        DigestStore.FileDigests some = digests(1000, 32, 2);
        for (long total = 0, versions = 0; total <= 3 * DigestStore.MEMORY_BYTES; versions++) {
            DigestStore.Version v = new DigestStore.Version("u", "big-" + versions, 1000L * CHUNK, 1000, CHUNK,
                    ChecksumAlgorithm.SHA256);
            store.remember(v, some);
            total += DigestStore.weight(v, some);
        }
        assertThat(store.rememberedBytes()).isPositive().isLessThanOrEqualTo(DigestStore.MEMORY_BYTES);
    }

    @Test
    void aChangedFileIsReadAgainAndNeverGetsItsOldDigests() throws Exception {
        byte[] old = new byte[8 * CHUNK];
        new Random(8).nextBytes(old);
        byte[] changed = old.clone();
        changed[3 * CHUNK + 1] ^= 0x55; // same size, one byte differs, new mtime
        DigestStore store = new DigestStore(dir.resolve("digests"), 1 << 20);
        ChunkPlan plan = new ChunkPlan(old.length, CHUNK);
        String path = "f-" + System.nanoTime();
        run(new DigestAhead(1, "u", path, new CountingFile(old, 1000), plan, ChecksumAlgorithm.SHA256,
                store, null));

        DigestStore restarted = new DigestStore(dir.resolve("digests"), 1 << 20);
        CountingFile changedFile = new CountingFile(changed, 2000);
        DigestAhead again = new DigestAhead(2, "u", path, changedFile, plan, ChecksumAlgorithm.SHA256, restarted, null);
        run(again);
        assertThat(again.fromStore()).isFalse();
        assertThat(changedFile.reads.get()).isPositive();
        assertThat(again.digest(3)).isEqualTo(ChecksumAlgorithm.SHA256.compute(
                ByteBuffer.wrap(changed, 3 * CHUNK, CHUNK)));
        assertThat(again.digest(3)).isNotEqualTo(ChecksumAlgorithm.SHA256.compute(
                ByteBuffer.wrap(old, 3 * CHUNK, CHUNK)));
    }

    /** Runs {@code digests} on this thread; returns the whole file's digest it handed on, or null. */
    private static byte[] run(DigestAhead digests) {
        List<Exception> failures = new ArrayList<>();
        List<byte[]> file = new ArrayList<>();
        digests.start(Runnable::run, (frame, frontier) -> { }, file::add, failures::add);
        assertThat(failures).isEmpty();
        assertThat(file).hasSizeLessThanOrEqualTo(1);
        return file.isEmpty() ? null : file.get(0);
    }

    private static DigestStore.FileDigests digests(int count, int length, long seed) {
        Random random = new Random(seed);
        byte[][] out = new byte[count][length];
        for (byte[] d : out) {
            random.nextBytes(d);
        }
        byte[] file = new byte[32];
        random.nextBytes(file);
        return new DigestStore.FileDigests(out, file);
    }
}
