package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Chunk arithmetic, from the empty file to files far over 4 GiB, without int overflow. */
class ChunkPlanTest {

    static final int MIB4 = 4 * 1024 * 1024;

    @Test
    void emptyFileHasNoChunk() {
        ChunkPlan plan = new ChunkPlan(0, MIB4);

        assertThat(plan.chunkCount()).isZero();
        assertThat(plan.chunkCountLong()).isZero();
        assertThatThrownBy(() -> plan.offset(0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("chunk 0 of 0");
        assertThatThrownBy(() -> plan.length(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void oneByteFileHasOneChunkOfOneByte() {
        ChunkPlan plan = new ChunkPlan(1, MIB4);

        assertThat(plan.chunkCount()).isEqualTo(1);
        assertThat(plan.offset(0)).isZero();
        assertThat(plan.length(0)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} bytes in chunks of {1}: {2} chunks, last at {3}, {4} bytes")
    @CsvSource({
            "4096,        4096,      1,    0,          4096",
            "8192,        4096,      2,    4096,       4096",
            "8193,        4096,      3,    8192,       1",
            "4194304,     4194304,   1,    0,          4194304",
            "12582912,    4194304,   3,    8388608,    4194304",
            "12582913,    4194304,   4,    12582912,   1",
            "4294967295,  4194304,   1024, 4290772992, 4194303",
            "4294967296,  4194304,   1024, 4290772992, 4194304",
            "4294967297,  4194304,   1025, 4294967296, 1",
            "5368709121,  4194304,   1281, 5368709120, 1",
            "5368709120,  67108864,  80,   5301600256, 67108864",
            "1099511627777, 67108864, 16385, 1099511627776, 1",
    })
    void countsOffsetsAndTheLastChunk(long size, int chunkSize, int count, long lastOffset, int lastLength) {
        ChunkPlan plan = new ChunkPlan(size, chunkSize);

        assertThat(plan.chunkCount()).isEqualTo(count);
        assertThat(plan.offset(count - 1)).isEqualTo(lastOffset);
        assertThat(plan.length(count - 1)).isEqualTo(lastLength);
        assertThat(plan.offset(count - 1) + plan.length(count - 1)).isEqualTo(size);
        if (count > 1) {
            assertThat(plan.length(count - 2)).isEqualTo(chunkSize);
        }
    }

    @Test
    void fiveGibPlusOneWithFourMibChunks() {
        ChunkPlan plan = new ChunkPlan(5L * 1024 * 1024 * 1024 + 1, MIB4);

        assertThat(plan.chunkCount()).isEqualTo(1281);
        assertThat(plan.offset(1279)).isEqualTo(5_364_514_816L);
        assertThat(plan.length(1279)).isEqualTo(MIB4);
        assertThat(plan.offset(1280)).isEqualTo(5_368_709_120L);
        assertThat(plan.length(1280)).isEqualTo(1);
    }

    @Test
    void chunksTileTheFileExactly() {
        ChunkPlan plan = new ChunkPlan(10L * MIB4 + 12_345, MIB4);
        long next = 0;
        for (int i = 0; i < plan.chunkCount(); i++) {
            assertThat(plan.offset(i)).isEqualTo(next);
            next += plan.length(i);
        }
        assertThat(next).isEqualTo(plan.fileSize());
    }

    @Test
    void offsetsOfLargeIndicesDoNotOverflow() {
        long size = (long) ChunkPlan.MAX_CHUNKS * ChunkPlan.MAX_CHUNK_SIZE;
        ChunkPlan plan = new ChunkPlan(size, ChunkPlan.MAX_CHUNK_SIZE);
        int last = ChunkPlan.MAX_CHUNKS - 1;

        assertThat(plan.chunkCount()).isEqualTo(ChunkPlan.MAX_CHUNKS);
        assertThat(plan.offset(last)).isEqualTo((long) last * ChunkPlan.MAX_CHUNK_SIZE).isPositive();
        assertThat(plan.length(last)).isEqualTo(ChunkPlan.MAX_CHUNK_SIZE);
    }

    @Test
    void indexOutOfRange() {
        ChunkPlan plan = new ChunkPlan(3L * MIB4, MIB4);

        for (int index : new int[] {-1, 3, 4, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> plan.offset(index)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("chunk " + index + " of 3");
            assertThatThrownBy(() -> plan.length(index)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void chunkSizeBounds() {
        assertThat(new ChunkPlan(1, ChunkPlan.MIN_CHUNK_SIZE).chunkSize()).isEqualTo(4096);
        assertThat(new ChunkPlan(1, ChunkPlan.MAX_CHUNK_SIZE).chunkSize()).isEqualTo(64 * 1024 * 1024);
        for (int bad : new int[] {0, -1, 4095, 64 * 1024 * 1024 + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> new ChunkPlan(1, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("chunk size " + bad + " outside [4096, 67108864]");
        }
        assertThatThrownBy(() -> new ChunkPlan(-1, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file size < 0: -1");
    }

    @Test
    void maxChunks() {
        long atLimit = (long) ChunkPlan.MAX_CHUNKS * ChunkPlan.MIN_CHUNK_SIZE;

        assertThat(ChunkPlan.MAX_CHUNKS).isEqualTo(8_380_416);
        assertThat(new ChunkPlan(atLimit, ChunkPlan.MIN_CHUNK_SIZE).chunkCount()).isEqualTo(ChunkPlan.MAX_CHUNKS);
        ChunkPlan over = new ChunkPlan(atLimit + 1, ChunkPlan.MIN_CHUNK_SIZE);
        assertThat(over.chunkCountLong()).isEqualTo(ChunkPlan.MAX_CHUNKS + 1L);
        assertThatThrownBy(over::chunkCount).isInstanceOf(IllegalStateException.class)
                .hasMessage("8380417 chunks exceed the limit of 8380416");
        // the resume bitmap for MAX_CHUNKS fits one START frame with its 13 other bytes
        assertThat(1 + 8 + 4 + ChunkPlan.MAX_CHUNKS / 8).isLessThanOrEqualTo(FrameCodec.MAX_FRAME_LENGTH);
    }

    @Test
    void hugeSizesCountWithoutOverflow() {
        ChunkPlan max = new ChunkPlan(Long.MAX_VALUE, ChunkPlan.MAX_CHUNK_SIZE);
        ChunkPlan maxSmall = new ChunkPlan(Long.MAX_VALUE, ChunkPlan.MIN_CHUNK_SIZE);

        assertThat(max.chunkCountLong()).isEqualTo(1L << 37);
        assertThat(maxSmall.chunkCountLong()).isEqualTo(1L << 51);
        assertThat(new ChunkPlan(Long.MAX_VALUE - 4095, 4096).chunkCountLong()).isEqualTo((1L << 51) - 1);
        assertThat(new ChunkPlan(Long.MAX_VALUE - 4094, 4096).chunkCountLong()).isEqualTo(1L << 51);
        assertThatThrownBy(max::chunkCount).isInstanceOf(IllegalStateException.class);
    }
}
