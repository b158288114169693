package org.mpft.plugin.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.api.FileIdentity;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.cache.ChunkCache;
import org.mpft.cache.MetadataCache;
import org.mpft.plugin.observe.MpftMetrics;
import org.mpft.plugin.testsupport.CountingFile;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Encoding;

/** The identity check around every read, on real files: written in place, replaced, removed, or unchanged. */
class IdentityCheckedFileTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /** A host's open file as the demo host has it: a channel, size and time at open, the identity by path. */
    private record DiskFile(FileChannel channel, Path path, long size, long lastModifiedMillis,
                            Runnable duringRead) implements ReadableFile {

        static DiskFile open(Path path, Runnable duringRead) throws IOException {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            return new DiskFile(channel, path, channel.size(), Files.getLastModifiedTime(path).toMillis(), duringRead);
        }

        @Override
        public FileIdentity identity() throws IOException {
            return FileIdentity.of(path);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            int n = channel.read(dst, position);
            duringRead.run();
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private Path file(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve("data.bin"), content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(T0));
        return file;
    }

    private static void rewriteInPlace(Path file, long mtime) {
        try (FileChannel w = FileChannel.open(file, StandardOpenOption.WRITE)) {
            w.write(ByteBuffer.wrap(new byte[] {42, 42, 42, 42}), 0);
            Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int readAt(ReadableFile f, long position) throws IOException {
        return f.read(ByteBuffer.allocate(4), position);
    }

    @Test
    void anUnchangedFileReadsAsOften() throws Exception {
        Path path = file(new byte[64]);
        try (ReadableFile f = IdentityCheckedFile.of(DiskFile.open(path, () -> { }), "/a/data.bin")) {
            for (int i = 0; i < 16; i++) {
                assertThat(readAt(f, i * 4L)).isEqualTo(4);
            }
        }
    }

    @Test
    void aFileWrittenInPlaceBetweenReadsFailsTheNextReadAndEveryOneAfter() throws Exception {
        Path path = file(new byte[64]);
        try (ReadableFile f = IdentityCheckedFile.of(DiskFile.open(path, () -> { }), "/a/data.bin")) {
            assertThat(readAt(f, 0)).isEqualTo(4);
            rewriteInPlace(path, T0 + 5_000);
            assertThatThrownBy(() -> readAt(f, 4)).isInstanceOf(FileChangedException.class)
                    .hasMessage("/a/data.bin changed on the server while it was being sent")
                    .message().doesNotContain(dir.toString());
            Files.setLastModifiedTime(path, FileTime.fromMillis(T0)); // the time put back: still another version
            assertThatThrownBy(() -> readAt(f, 8)).isInstanceOf(FileChangedException.class);
        }
    }

    @Test
    void aWriteDuringTheReadFailsThatRead() throws Exception {
        Path path = file(new byte[64]);
        boolean[] once = {true};
        try (ReadableFile f = IdentityCheckedFile.of(DiskFile.open(path, () -> {
            if (once[0]) {
                once[0] = false;
                rewriteInPlace(path, T0 + 5_000); // lands between the read and the check after it
            }
        }), "a/data.bin")) {
            assertThatThrownBy(() -> readAt(f, 0)).isInstanceOf(FileChangedException.class);
        }
    }

    @Test
    void aFileThatMovedBetweenTheOpenAndTheFirstReadIsNotRead() throws Exception {
        Path path = file(new byte[64]);
        DiskFile opened = DiskFile.open(path, () -> { });
        Files.write(path, new byte[80]); // grown since the host opened it (the plan has the old size)
        try (ReadableFile f = IdentityCheckedFile.of(opened, "a/data.bin")) {
            assertThatThrownBy(() -> readAt(f, 0)).isInstanceOf(FileChangedException.class);
        }
    }

    @Test
    void aFileReplacedUnderItsNameOrRemovedCountsAsChanged() throws Exception {
        Path path = file(new byte[64]);
        try (ReadableFile f = IdentityCheckedFile.of(DiskFile.open(path, () -> { }), "a/data.bin")) {
            assertThat(readAt(f, 0)).isEqualTo(4);
            Path other = Files.write(dir.resolve("other.bin"), new byte[64]);
            Files.setLastModifiedTime(other, FileTime.fromMillis(T0)); // same size and time, another inode
            Files.move(other, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertThatThrownBy(() -> readAt(f, 4)).isInstanceOf(FileChangedException.class);
        }
        try (ReadableFile f = IdentityCheckedFile.of(DiskFile.open(path, () -> { }), "a/data.bin")) {
            assertThat(readAt(f, 0)).isEqualTo(4);
            Files.delete(path);
            assertThatThrownBy(() -> readAt(f, 4)).isInstanceOf(FileChangedException.class);
        }
    }

    @Test
    void aHostWithTheDefaultIdentityNeverReportsAChange() throws Exception {
        CountingFile memory = new CountingFile(new byte[64], T0);
        try (ReadableFile f = IdentityCheckedFile.of(memory, "a/data.bin")) {
            memory.content[0] = 1; // invisible to a host that cannot look again
            assertThat(readAt(f, 0)).isEqualTo(4);
        }
    }

    @Test
    void aTransferChecksItsReadsAndAChangedChunkNeverReachesTheCache() throws Exception {
        Path path = file(new byte[64 * 1024]);
        ChunkCache cache = ChunkCache.builder().maximumBytes(1 << 20).build();
        ChunkSource source = new ChunkSource(cache, MetadataCache.builder().maximumEntries(100).build(),
                new MpftMetrics(), Encoding.RAW);
        boolean[] armed = {false};
        DiskFile disk = DiskFile.open(path, () -> {
            if (armed[0]) {
                armed[0] = false;
                rewriteInPlace(path, T0 + 5_000);
            }
        });
        try (Transfer transfer = new Transfer(1, Principal.of("alice"), "a/data.bin", disk,
                new ChunkPlan(disk.size(), 16 * 1024), ChecksumAlgorithm.SHA256, System.nanoTime())) {
            source.read(transfer, 0, PooledByteBufAllocator.DEFAULT, Encoding.RAW).payload().release();
            armed[0] = true;
            assertThatThrownBy(() -> source.read(transfer, 1, PooledByteBufAllocator.DEFAULT, Encoding.RAW))
                    .isInstanceOf(FileChangedException.class);
            assertThat(cache.stats().entryCount()).isEqualTo(1);
        }
    }
}
