package org.mpft.plugin.send;

import org.mpft.plugin.observe.ReadCounts;
import org.mpft.plugin.testsupport.Pipelines;

import org.mpft.plugin.observe.MpftMetrics;
import org.mpft.plugin.testsupport.CountingFile;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.cache.ChunkCache;
import org.mpft.cache.MetadataCache;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkCodec;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ProtocolException;

class ChunkSourceTest {

    private static final int CHUNK = 256 * 1024;

    private final MpftMetrics metrics = new MpftMetrics();
    private final ChunkSource source = new ChunkSource(ChunkCache.builder().maximumBytes(64L << 20).build(),
            MetadataCache.builder().maximumEntries(10_000).build(), metrics, Encoding.ZSTD);

    private static Transfer transfer(String user, String path, ReadableFile file) {
        return new Transfer(1, Principal.of(user), path, file, new ChunkPlan(file.size(), CHUNK),
                ChecksumAlgorithm.SHA256, System.nanoTime());
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] text(int size) {
        StringBuilder s = new StringBuilder();
        Random r = new Random(1);
        while (s.length() < size) {
            s.append("2026-11-25 INFO transfer ").append(r.nextInt(1000)).append(" chunk ").append(r.nextInt(50))
                    .append(" sent to client\n");
        }
        return java.util.Arrays.copyOf(s.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    /** Reads every chunk; returns the concatenated original bytes (decoding compressed chunks). */
    private byte[] readAll(Transfer transfer, boolean compress, int[] compressedChunks) throws IOException {
        byte[] out = new byte[(int) transfer.plan().fileSize()];
        try (ChunkCodec codec = new ChunkCodec()) {
            for (int i = 0; i < transfer.plan().chunkCount(); i++) {
                ChunkReader.ReadChunk read = source.read(transfer, i, PooledByteBufAllocator.DEFAULT,
                        compress ? source.compression() : Encoding.RAW);
                ByteBuf payload = read.payload();
                try {
                    assertThat(payload.readableBytes()).isEqualTo(read.header().encodedLength());
                    int length = read.header().length();
                    ByteBuffer original = ByteBuffer.allocate(length);
                    codec.decode(read.header().encoding(), payload.nioBuffer(), original, length);
                    original.flip();
                    assertThat(ChecksumAlgorithm.SHA256.verify(original.duplicate(),
                            read.header().checksum().toByteArray())).as("checksum of the original bytes").isTrue();
                    original.get(out, (int) read.header().offset(), length);
                    if (read.header().encoding() != Encoding.RAW) {
                        compressedChunks[0]++;
                    }
                } catch (ProtocolException e) {
                    throw new AssertionError(e);
                } finally {
                    payload.release();
                }
            }
        }
        return out;
    }

    @Test
    void aSecondReadOfTheSameFileComesFromTheCacheWithoutTouchingTheDisk() throws IOException {
        byte[] content = random(10 * CHUNK + 123, 1);
        CountingFile first = new CountingFile(content, 1000);
        source.track(1);
        int[] compressed = {0};
        assertThat(readAll(transfer("alice", "a.bin", first), false, compressed)).isEqualTo(content);
        assertThat(first.bytesRead.get()).isEqualTo(content.length);
        assertThat(metrics.getCacheMisses()).isEqualTo(11);
        assertThat(metrics.getCacheHits()).isZero();

        // a new transfer of the same file version: a new open file, same size and mtime
        CountingFile second = new CountingFile(content, 1000);
        assertThat(readAll(transfer("alice", "a.bin", second), false, compressed)).isEqualTo(content);
        assertThat(second.reads.get()).as("disk reads of the second download").isZero();
        assertThat(metrics.getCacheHits()).isEqualTo(11);
        assertThat(metrics.getCacheMisses()).isEqualTo(11);
        assertThat(metrics.getCacheHitRate()).isEqualTo(0.5);
        assertThat(metrics.getDiskBytesRead()).isEqualTo(content.length);
        // both transfers have id 1 here: their counts add up until finish
        assertThat(source.finish(1)).isEqualTo(new ReadCounts(22, 11, content.length, 2L * content.length, 0));
        assertThat(source.finish(1)).isEqualTo(ReadCounts.NONE);
        readAll(transfer("alice", "a.bin", new CountingFile(content, 1000)), false, compressed);
        assertThat(source.finish(1)).as("not tracked: not counted").isEqualTo(ReadCounts.NONE);
    }

    @Test
    void aFileVersionKeepsItsChunkSizeUntilItChanges() {
        assertThat(source.chunkSize("alice", "a", 100, 1, () -> 1 << 20)).isEqualTo(1 << 20);
        assertThat(source.chunkSize("alice", "a", 100, 1, () -> 4 << 20)).as("remembered").isEqualTo(1 << 20);
        assertThat(source.chunkSize("alice", "a", 100, 2, () -> 4 << 20)).as("new mtime").isEqualTo(4 << 20);
        assertThat(source.chunkSize("bob", "a", 100, 1, () -> 2 << 20)).as("other user").isEqualTo(2 << 20);
    }

    @Test
    void aChangedFileIsReadAgainNeverServedStale() throws IOException {
        byte[] v1 = random(3 * CHUNK, 1);
        readAll(transfer("alice", "a.bin", new CountingFile(v1, 1000)), false, new int[1]);
        byte[] v2 = random(3 * CHUNK, 2); // same size, new content, new mtime
        CountingFile changed = new CountingFile(v2, 2000);
        assertThat(readAll(transfer("alice", "a.bin", changed), false, new int[1])).isEqualTo(v2);
        assertThat(changed.bytesRead.get()).isEqualTo(v2.length);
        assertThat(metrics.getCacheHits()).isZero();
    }

    @Test
    void anotherUsersFileOfTheSameNameIsNotServedFromTheCache() throws IOException {
        byte[] alices = random(2 * CHUNK, 1);
        byte[] bobs = random(2 * CHUNK, 2);
        readAll(transfer("alice", "a.bin", new CountingFile(alices, 1000)), false, new int[1]);
        CountingFile bob = new CountingFile(bobs, 1000);
        assertThat(readAll(transfer("bob", "a.bin", bob), false, new int[1])).isEqualTo(bobs);
        assertThat(bob.bytesRead.get()).isEqualTo(bobs.length);
    }

    @Test
    void compressibleChunksTravelCompressedRandomOnesRaw() throws IOException {
        byte[] content = text(4 * CHUNK);
        int[] compressed = {0};
        assertThat(readAll(transfer("alice", "log.txt", new CountingFile(content, 1)), true, compressed))
                .isEqualTo(content);
        assertThat(compressed[0]).isEqualTo(4);
        assertThat(metrics.getChunksCompressed()).isEqualTo(4);
        assertThat(metrics.getBytesOnWire()).isLessThan(content.length / 2);

        byte[] noise = random(4 * CHUNK, 3);
        int[] none = {0};
        assertThat(readAll(transfer("alice", "noise.bin", new CountingFile(noise, 1)), true, none)).isEqualTo(noise);
        assertThat(none[0]).isZero();

        // the same text again, now from the cache: still compressed, still right
        int[] again = {0};
        assertThat(readAll(transfer("alice", "log.txt", new CountingFile(content, 1)), true, again))
                .isEqualTo(content);
        assertThat(again[0]).isEqualTo(4);
    }

    @Test
    void withoutCompressionAskedEverythingIsRaw() throws IOException {
        int[] compressed = {0};
        readAll(transfer("alice", "log.txt", new CountingFile(text(2 * CHUNK), 1)), false, compressed);
        assertThat(compressed[0]).isZero();
    }

    @Test
    void anUncachedSourceReadsTheDiskEveryTime() throws IOException {
        ChunkSource uncached = Pipelines.uncachedSource();
        byte[] content = random(CHUNK, 1);
        for (int round = 0; round < 2; round++) {
            CountingFile file = new CountingFile(content, 1);
            ChunkReader.ReadChunk read = uncached.read(transfer("alice", "a", file), 0,
                    PooledByteBufAllocator.DEFAULT, uncached.compression());
            read.payload().release();
            assertThat(file.bytesRead.get()).isEqualTo(CHUNK);
            assertThat(read.header().encoding()).isEqualTo(Encoding.RAW);
        }
        assertThat(Bytes.of(new byte[0]).length()).isZero();
    }
}
