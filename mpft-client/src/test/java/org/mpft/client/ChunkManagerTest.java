package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

@Timeout(60)
class ChunkManagerTest {

    private static final int CHUNK = ChunkPlan.MIN_CHUNK_SIZE;

    @TempDir
    Path dir;

    /** The free space the next {@link #open} sees: the real file store's unless a test fakes it. */
    private FreeSpace space = FreeSpace.FILE_STORE;

    private ChunkManager open(Path output, FileIdentity identity, boolean resume) throws Exception {
        return ChunkManager.open(output, identity, resume, space, FlushTimer.DAEMON, LocalUser.PROCESS);
    }

    private static byte[] source(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static FileIdentity identity(int size) {
        return new FileIdentity("files.example.org:7300", "data/big.iso", size, 1_700_000_000_000L, CHUNK);
    }

    private static ByteBuffer chunk(byte[] source, ChunkPlan plan, int index) {
        return ByteBuffer.wrap(source, (int) plan.offset(index), plan.length(index)).slice();
    }

    private Path part(Path output) {
        return output.resolveSibling(output.getFileName() + ChunkManager.PART_SUFFIX);
    }

    private Path state(Path output) {
        return output.resolveSibling(output.getFileName() + ChunkManager.STATE_SUFFIX);
    }

    @Test
    void outOfOrderChunksFinishIntoTheSourceFile() throws Exception {
        byte[] source = source(1, 10 * CHUNK + 123);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("big.iso");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < id.plan().chunkCount(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        try (ChunkManager manager = open(output, id, true)) {
            assertThat(manager.restartReason()).isNull();
            assertThat(manager.resumedChunks()).isZero();
            for (int index : order) {
                ByteBuffer bytes = chunk(source, id.plan(), index);
                int position = bytes.position();
                manager.write(index, bytes);
                assertThat(bytes.position()).as("the caller's position").isEqualTo(position);
            }
            assertThat(manager.isComplete()).isTrue();
            assertThat(Files.exists(output)).as("no final file before finish").isFalse();
            String sha = manager.finish();
            assertThat(sha).isEqualTo(HexFormat.of().formatHex(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(source))));
        }
        assertThat(Files.readAllBytes(output)).isEqualTo(source);
        assertThat(Files.getLastModifiedTime(output).toMillis()).as("the server's mtime").isEqualTo(id.mtimeMillis());
        assertThat(part(output)).doesNotExist();
        assertThat(state(output)).doesNotExist();
    }

    @Test
    void concurrentWritersProduceTheSourceFile() throws Exception {
        byte[] source = source(2, 300 * CHUNK + 1);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("c.bin");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (ChunkManager manager = open(output, id, true)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int start = t;
                futures.add(pool.submit(() -> {
                    for (int i = start; i < id.plan().chunkCount(); i += 4) {
                        manager.write(i, chunk(source, id.plan(), i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            manager.finish();
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readAllBytes(output)).isEqualTo(source);
    }

    @Test
    void emptyFileFinishesAtOnce() throws Exception {
        Path output = dir.resolve("empty");
        try (ChunkManager manager = open(output, identity(0), true)) {
            assertThat(manager.isComplete()).isTrue();
            assertThat(manager.finish()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        }
        assertThat(Files.size(output)).isZero();
    }

    @Test
    void aFileOfOneChunkKeepsNoStateAndStartsNoStateTimer() throws Exception {
        byte[] source = source(11, CHUNK - 5);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("one.bin");
        java.util.concurrent.atomic.AtomicInteger timers = new java.util.concurrent.atomic.AtomicInteger();
        FlushTimer counting = (name, flush) -> {
            timers.incrementAndGet();
            return () -> { };
        };
        try (ChunkManager manager = ChunkManager.open(output, id, true, space, counting, LocalUser.PROCESS)) {
            assertThat(part(output)).exists();
            assertThat(state(output)).doesNotExist();
            manager.write(0, chunk(source, id.plan(), 0));
            manager.flush();
            assertThat(state(output)).doesNotExist();
            assertThat(output).as("nothing under the final name before finish").doesNotExist();
            manager.finish();
        }
        assertThat(timers).hasValue(0);
        assertThat(Files.readAllBytes(output)).isEqualTo(source);
        assertThat(Files.getLastModifiedTime(output).toMillis()).isEqualTo(id.mtimeMillis());
        assertThat(part(output)).doesNotExist();
        assertThat(state(output)).doesNotExist();
    }

    @Test
    void aSealedDownloadIsUnderItsNameOnlyAfterCommit() throws Exception {
        byte[] source = source(13, 3 * CHUNK + 7);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("sealed.bin");
        ChunkManager manager = open(output, id, true);
        for (int i = 0; i < id.plan().chunkCount(); i++) {
            manager.write(i, chunk(source, id.plan(), i));
        }
        String sha = manager.seal();
        manager.close(); // after seal: saves nothing, closes nothing
        assertThat(output).doesNotExist();
        assertThat(part(output)).exists();
        manager.commit();
        assertThat(sha).isEqualTo(HexFormat.of().formatHex(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(source))));
        assertThat(Files.readAllBytes(output)).isEqualTo(source);
        assertThat(part(output)).doesNotExist();
        assertThat(state(output)).doesNotExist();
    }

    @Test
    void aOneChunkPartLeftByAnInterruptedRunIsStartedOver() throws Exception {
        byte[] source = source(12, CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("one.bin");
        try (ChunkManager manager = open(output, id, true)) {
            manager.write(0, chunk(source, id.plan(), 0));
        }
        assertThat(part(output)).exists();
        assertThat(state(output)).doesNotExist();
        assertThat(output).doesNotExist();
        try (ChunkManager manager = open(output, id, true)) {
            assertThat(manager.restartReason()).isNotNull();
            assertThat(manager.resumedChunks()).isZero();
            assertThat(manager.isComplete()).isFalse();
            manager.write(0, chunk(source, id.plan(), 0));
            manager.finish();
        }
        assertThat(Files.readAllBytes(output)).isEqualTo(source);
    }

    @Test
    void aFileOfTwoChunksWritesItsStateWithItsFirstFlushNotAtOpen() throws Exception {
        byte[] source = source(6, CHUNK + 1);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("two.bin");
        ManualTimer timer = new ManualTimer();
        try (ChunkManager manager = ChunkManager.open(output, id, true, space, timer, LocalUser.PROCESS)) {
            assertThat(state(output)).doesNotExist();
            manager.write(0, chunk(source, id.plan(), 0));
            timer.fire();
            assertThat(state(output)).exists();
        }
        assertThat(state(output)).exists();
    }

    @Test
    void aRestartRemovesTheOldContentsStateAtOpen() throws Exception {
        byte[] source = source(7, 4 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("changed.bin");
        try (ChunkManager manager = open(output, id, true)) {
            manager.write(0, chunk(source, id.plan(), 0));
        }
        assertThat(state(output)).exists();
        FileIdentity newer = identity(source.length - 1);
        try (ChunkManager manager = open(output, newer, true)) {
            assertThat(manager.restartReason()).isNotNull();
            assertThat(state(output)).as("the old content's state").doesNotExist();
        }
    }

    @Test
    void resumeAfterCloseKeepsHeldChunks() throws Exception {
        byte[] source = source(3, 8 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("r.bin");
        try (ChunkManager manager = open(output, id, true)) {
            for (int i : new int[] {0, 3, 5, 7}) {
                manager.write(i, chunk(source, id.plan(), i));
            }
        }
        assertThat(part(output)).exists();
        assertThat(state(output)).exists();
        assertThat(output).doesNotExist();
        try (ChunkManager manager = open(output, id, true)) {
            assertThat(manager.restartReason()).isNull();
            assertThat(manager.resumedChunks()).isEqualTo(4);
            assertThat(manager.held()).isEqualTo(bits(0, 3, 5, 7));
            assertThat(manager.isComplete()).isFalse();
            for (int i : new int[] {1, 2, 4, 6}) {
                manager.write(i, chunk(source, id.plan(), i));
            }
            manager.finish();
        }
        assertThat(Files.readAllBytes(output)).isEqualTo(source);
    }

    @Test
    void heldIsACopy() throws Exception {
        FileIdentity id = identity(4 * CHUNK);
        try (ChunkManager manager = open(dir.resolve("x"), id, true)) {
            manager.held().set(2);
            assertThat(manager.held().isEmpty()).isTrue();
        }
    }

    @Test
    void stateIsWrittenInTheBackgroundWithoutClose() throws Exception {
        // what a kill -9 leaves behind: the state written by the timer, not by close()
        byte[] source = source(4, 4 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("k.bin");
        ManualTimer timer = new ManualTimer();
        ChunkManager manager = ChunkManager.open(output, id, true, space, timer, LocalUser.PROCESS);
        manager.write(1, chunk(source, id.plan(), 1));
        manager.write(2, chunk(source, id.plan(), 2));
        timer.fire();
        // copy the files as a crash would leave them, then let the manager go
        Path crashed = dir.resolve("crash");
        Files.createDirectories(crashed);
        Files.copy(part(output), part(crashed.resolve("k.bin")));
        Files.copy(state(output), state(crashed.resolve("k.bin")));
        manager.close();
        try (ChunkManager resumed = open(crashed.resolve("k.bin"), id, true)) {
            assertThat(resumed.held()).isEqualTo(bits(1, 2));
        }
    }

    @Test
    void changedFileOnTheServerRestartsWithAReason() throws Exception {
        byte[] source = source(5, 4 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("m.bin");
        try (ChunkManager manager = open(output, id, true)) {
            manager.write(0, chunk(source, id.plan(), 0));
        }
        FileIdentity newer = new FileIdentity(id.server(), id.remotePath(), id.size(), id.mtimeMillis() + 1000, CHUNK);
        try (ChunkManager manager = open(output, newer, true)) {
            assertThat(manager.restartReason()).contains("changed on the server");
            assertThat(manager.resumedChunks()).isZero();
            assertThat(manager.held().isEmpty()).isTrue();
            assertThat(Files.size(part(output))).isZero();
        }
        // and the new identity is what is resumed next time
        try (ChunkManager manager = open(output, newer, true)) {
            assertThat(manager.restartReason()).isNull();
        }
    }

    @Test
    void otherServerPathOrChunkSizeRestarts() throws Exception {
        byte[] source = source(6, 4 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("o.bin");
        FileIdentity[] others = {
            new FileIdentity("other:7300", id.remotePath(), id.size(), id.mtimeMillis(), CHUNK),
            new FileIdentity(id.server(), "data/other.iso", id.size(), id.mtimeMillis(), CHUNK),
            new FileIdentity(id.server(), id.remotePath(), id.size(), id.mtimeMillis(), 2 * CHUNK),
        };
        for (FileIdentity other : others) {
            try (ChunkManager manager = open(output, id, true)) {
                manager.write(0, chunk(source, id.plan(), 0));
            }
            try (ChunkManager manager = open(output, other, true)) {
                assertThat(manager.restartReason()).as(other.toString()).isNotNull();
                assertThat(manager.held().isEmpty()).isTrue();
            }
        }
    }

    @Test
    void noResumeStartsOver() throws Exception {
        byte[] source = source(7, 4 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("n.bin");
        try (ChunkManager manager = open(output, id, true)) {
            manager.write(0, chunk(source, id.plan(), 0));
        }
        try (ChunkManager manager = open(output, id, false)) {
            assertThat(manager.held().isEmpty()).isTrue();
            assertThat(manager.restartReason()).contains("resume");
        }
    }

    @Test
    void damagedStateFilesRestartInsteadOfCrashing() throws Exception {
        byte[] source = source(8, 20 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("d.bin");
        try (ChunkManager manager = open(output, id, true)) {
            for (int i = 0; i < 10; i++) {
                manager.write(i, chunk(source, id.plan(), i));
            }
        }
        byte[] good = Files.readAllBytes(state(output));
        List<byte[]> damaged = new ArrayList<>();
        for (int cut = 0; cut < good.length; cut++) { // every torn write
            damaged.add(java.util.Arrays.copyOf(good, cut));
        }
        for (int flip = 0; flip < good.length; flip++) { // every single-byte corruption
            byte[] bad = good.clone();
            bad[flip] ^= 0x5A;
            damaged.add(bad);
        }
        damaged.add(new byte[3 * 1024 * 1024]);
        for (byte[] bad : damaged) {
            Files.write(state(output), bad);
            try (ChunkManager manager = open(output, id, true)) {
                assertThat(manager.restartReason()).contains("state file");
                assertThat(manager.held().isEmpty()).isTrue();
            }
            // put the partial download back for the next variant
            try (ChunkManager manager = open(output, id, true)) {
                for (int i = 0; i < 10; i++) {
                    manager.write(i, chunk(source, id.plan(), i));
                }
            }
        }
    }

    @Test
    void truncatedPartFileOrMissingStateRestarts() throws Exception {
        byte[] source = source(9, 6 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("t.bin");
        try (ChunkManager manager = open(output, id, true)) {
            manager.write(5, chunk(source, id.plan(), 5));
        }
        try (var channel = java.nio.channels.FileChannel.open(part(output), java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(2 * CHUNK);
        }
        try (ChunkManager manager = open(output, id, true)) {
            assertThat(manager.restartReason()).contains("shorter");
            manager.write(0, chunk(source, id.plan(), 0));
        }
        Files.delete(state(output));
        try (ChunkManager manager = open(output, id, true)) {
            assertThat(manager.restartReason()).contains("missing");
        }
    }

    @Test
    void insufficientSpaceIsRefusedBeforeAnyFileIsCreated() throws Exception {
        FileIdentity id = identity(10 * CHUNK);
        Path output = dir.resolve("big.iso");
        space = folder -> 10L * CHUNK - 1;
        assertThatThrownBy(() -> open(output, id, true))
                .isInstanceOf(MpftException.class)
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.INSUFFICIENT_SPACE))
                .hasMessageContaining("big.iso")
                .hasMessageContaining(Long.toString(10L * CHUNK))
                .hasMessageContaining(Long.toString(10L * CHUNK - 1));
        assertThat(part(output)).doesNotExist();
        assertThat(state(output)).doesNotExist();
        assertThat(output).doesNotExist();
    }

    @Test
    void spaceCheckCountsOnlyMissingChunks() throws Exception {
        byte[] source = source(10, 10 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("s.bin");
        try (ChunkManager manager = open(output, id, true)) {
            for (int i = 0; i < 6; i++) {
                manager.write(i, chunk(source, id.plan(), i));
            }
        }
        space = folder -> 4L * CHUNK;
        try (ChunkManager manager = open(output, id, true)) {
            assertThat(manager.resumedChunks()).isEqualTo(6);
        }
    }

    @Test
    void finishRefusesWhenIncomplete() throws Exception {
        byte[] source = source(11, 3 * CHUNK);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("i.bin");
        try (ChunkManager manager = open(output, id, true)) {
            manager.write(0, chunk(source, id.plan(), 0));
            manager.write(2, chunk(source, id.plan(), 2));
            assertThatThrownBy(manager::finish).isInstanceOf(MpftException.class).hasMessageContaining("2 of 3");
            assertThat(output).doesNotExist();
        }
        assertThat(part(output)).exists();
    }

    @Test
    void aKeptChunkDamagedOnDiskIsFetchedAgainNotTrusted() throws Exception {
        byte[] source = source(9, 4 * CHUNK + 5);
        FileIdentity id = identity(source.length);
        Path output = dir.resolve("kept.bin");
        try (ChunkManager manager = open(output, id, true)) {
            for (int i = 0; i < 4; i++) {
                manager.write(i, chunk(source, id.plan(), i));
            }
        }
        // one byte of kept chunk 2 flips between the runs (a bad disk, or someone editing the part file)
        try (java.nio.channels.FileChannel part = java.nio.channels.FileChannel.open(part(output),
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            part.read(one, 2L * CHUNK + 100);
            one.flip();
            part.write(ByteBuffer.wrap(new byte[] {(byte) ~one.get(0)}), 2L * CHUNK + 100);
        }
        try (ChunkManager manager = open(output, id, true)) {
            assertThat(manager.rejectedChunks()).isEqualTo(1);
            assertThat(manager.held()).isEqualTo(bits(0, 1, 3));
            assertThat(manager.resumedChunks()).isEqualTo(3);
            manager.write(2, chunk(source, id.plan(), 2));
            manager.write(4, chunk(source, id.plan(), 4));
            assertThat(manager.finish()).isEqualTo(HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(source)));
        }
        assertThat(Files.readAllBytes(output)).isEqualTo(source);
    }

    @Test
    void wrongIndexOrLengthIsRefused() throws Exception {
        FileIdentity id = identity(2 * CHUNK + 10);
        try (ChunkManager manager = open(dir.resolve("w"), id, true)) {
            assertThatThrownBy(() -> manager.write(3, ByteBuffer.allocate(10))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> manager.write(2, ByteBuffer.allocate(11))).isInstanceOf(IllegalArgumentException.class);
            assertThat(manager.held().isEmpty()).isTrue();
        }
    }

    @Test
    void stateFileLayoutIsStable() {
        FileIdentity id = new FileIdentity("h:1", "p", 3L * CHUNK, 2L, CHUNK);
        byte[] bytes = StateFile.encode(id, bits(0, 2), new int[] {0x11223344, 0x55, 0x66778899});
        assertThat(HexFormat.of().formatHex(bytes)).startsWith(
                "4d50465453544154" // MPFTSTAT
                        + "0002" // version
                        + "0000000000003000" // size 12288
                        + "0000000000000002" // mtime
                        + "00001000" // chunk size 4096
                        + "0003" + "683a31" // "h:1"
                        + "0001" + "70" // "p"
                        + "00000003" // chunks
                        + "00000001" // bitmap length
                        + "05" // chunks 0 and 2
                        + "11223344" + "00000000" + "66778899"); // their checksums; 0 for chunk 1, not held
        assertThat(bytes).hasSize(8 + 2 + 8 + 8 + 4 + 5 + 3 + 4 + 4 + 1 + 3 * 4 + 4);
    }

    private static BitSet bits(int... indices) {
        BitSet set = new BitSet();
        for (int i : indices) {
            set.set(i);
        }
        return set;
    }

    /** A flush timer that fires when the test says so. */
    private static final class ManualTimer implements FlushTimer {
        private Runnable flush;
        private boolean stopped;

        @Override
        public Stop start(String name, Runnable flush) {
            this.flush = flush;
            return () -> stopped = true;
        }

        void fire() {
            assertThat(stopped).isFalse();
            flush.run();
        }
    }
}
