package org.mpft.plugin.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ChunkPlan;

class ChunkSizePolicyTest {

    private static final long K = 1024;
    private static final long M = 1024 * K;
    private static final long G = 1024 * M;

    /** Defaults: 256k .. 16m, 4m while no speed is known. */
    private final ChunkSizePolicy policy = new ChunkSizePolicy(256 * 1024, 16 << 20, 4 << 20);

    @ParameterizedTest(name = "{0} bytes, {1} paths at {2} B/s -> {3} byte chunks ({4} chunks)")
    @CsvSource({
        // file size, paths, path speed (B/s, 0 = unknown), chunk size, chunk count
        // small files: one chunk (one per path)
        "1,           1, 0,          262144,   1",
        "10000,       1, 0,          262144,   1",
        "262144,      1, 0,          262144,   1",
        "1000000,     1, 0,          1048576,  1",
        "1000000,     2, 0,          503808,   2",
        // split over the paths in equal shares (4 KiB-aligned), even below the 256k floor
        "718963,      2, 0,          360448,   2",
        "300000,      2, 0,          151552,   2",
        "1000000,     3, 0,          335872,   3",
        // at most the floor: one chunk whatever the paths
        "262144,      2, 0,          262144,   1",
        "4194304,     1, 0,          4194304,  1",
        "4194304,     2, 0,          2097152,  2",
        // medium files: at least 4 chunks per path for balance
        "10485760,    1, 0,          2097152,  5",
        "10485760,    2, 0,          1048576,  10",
        // big files, speed unknown: mpft.chunk-size (4m)
        "1073741824,  1, 0,          4194304,  256",
        "1073741824,  2, 0,          4194304,  256",
        // big files on slow paths (10 MB/s: 2.5 MB per 250 ms -> 2m)
        "1073741824,  1, 10000000,   2097152,  512",
        // slower still (1 MB/s: 250 KB -> the 256k floor)
        "1073741824,  1, 1000000,    262144,   4096",
        // fast paths (100 MB/s: 25 MB -> 16m, the ceiling)
        "1073741824,  2, 100000000,  16777216, 64",
        "4294967296,  1, 400000000,  16777216, 256",
        // fast paths, a file one round covers (64 MiB in < 250 ms per path): one chunk per path, at most 16m
        "67108864,    2, 400000000,  16777216, 4",
    })
    void chunkSizeTable(long fileSize, int paths, long speed, int expectedSize, long expectedChunks) {
        int size = policy.choose(fileSize, paths, speed);
        assertThat(size).isEqualTo(expectedSize);
        assertThat(new ChunkPlan(fileSize, size).chunkCountLong()).isEqualTo(expectedChunks);
    }

    @Test
    void alwaysWithinBoundsAndAPowerOfTwoExceptForEqualShares() {
        long[] sizes = {0, 1, 4095, 4096, 100_000, 256 * K, 256 * K + 1, 300_000, 3 * M, 64 * M + 1, 10 * G, 1L << 40};
        long[] speeds = {0, 1, 1_000_000, 50_000_000, 1_000_000_000, 100_000_000_000L};
        for (long size : sizes) {
            for (int paths = 1; paths <= 5; paths++) {
                for (long speed : speeds) {
                    int chosen = policy.choose(size, paths, speed);
                    assertThat(chosen).isBetween(ChunkPlan.MIN_CHUNK_SIZE, 16 << 20);
                    assertThat(chosen % ChunkSizePolicy.SHARE_ALIGNMENT).isZero();
                    if (paths == 1 || size <= 256 * K) {
                        assertThat(chosen).isGreaterThanOrEqualTo(256 * 1024);
                        assertThat(Integer.bitCount(chosen)).isEqualTo(1);
                    } else if (Integer.bitCount(chosen) != 1 || chosen < 256 * 1024) {
                        equalShares(size, paths, chosen);
                    }
                }
            }
        }
    }

    @Test
    void aFileOneRoundCoversIsSplitEvenlyOverThePaths() {
        for (long size = 256 * K + 1; size <= 8 * M; size = size * 3 / 2 + 4097) {
            for (int paths = 2; paths <= 5; paths++) {
                equalShares(size, paths, policy.choose(size, paths, 0));
            }
        }
    }

    /** One chunk per path, and no path's share more than 4 KiB per path above another's. */
    private static void equalShares(long size, int paths, int chosen) {
        ChunkPlan plan = new ChunkPlan(size, chosen);
        assertThat(plan.chunkCount()).as("%d bytes over %d paths in %d-byte chunks", size, paths, chosen)
                .isEqualTo(paths);
        assertThat(chosen - plan.length(paths - 1)).as("%d bytes over %d paths: the last share", size, paths)
                .isLessThan(ChunkSizePolicy.SHARE_ALIGNMENT * paths);
    }

    @Test
    void aHugeFileGetsChunksBigEnoughForThePlanLimit() {
        ChunkSizePolicy tiny = new ChunkSizePolicy(ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MIN_CHUNK_SIZE, 4096);
        long huge = 1L << 40; // 1 TiB in 4 KiB chunks would be 268M chunks
        int chosen = tiny.choose(huge, 1, 0);
        assertThat(new ChunkPlan(huge, chosen).chunkCountLong()).isLessThanOrEqualTo(ChunkPlan.MAX_CHUNKS);
    }

    @Test
    void equalSharesOfAHugeFileStillKeepThePlanWithinItsLimit() {
        ChunkSizePolicy tiny = new ChunkSizePolicy(ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MIN_CHUNK_SIZE, 4096);
        long size = 40_000_000_000L; // one round on two paths this fast, but 4 KiB shares would be 9.8M chunks
        int chosen = tiny.choose(size, 2, 1_000_000_000_000L);
        assertThat(new ChunkPlan(size, chosen).chunkCountLong()).isLessThanOrEqualTo(ChunkPlan.MAX_CHUNKS);
    }

    @Test
    void badBoundsAreRefused() {
        assertThatThrownBy(() -> new ChunkSizePolicy(1024, 1 << 20, 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkSizePolicy(1 << 20, 1 << 19, 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.choose(10, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
