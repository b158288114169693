package org.mpft.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkKeyTest {

    private final FileIdentity file = new FileIdentity("f", 10_000, 1);

    @Test
    void offsetAndLengthFollowThePlan() {
        assertThat(new ChunkKey(file, 4096, 0).offset()).isZero();
        assertThat(new ChunkKey(file, 4096, 0).length()).isEqualTo(4096);
        assertThat(new ChunkKey(file, 4096, 2).offset()).isEqualTo(8192);
        assertThat(new ChunkKey(file, 4096, 2).length()).isEqualTo(10_000 - 8192);
    }

    @Test
    void offsetDoesNotOverflowForLargeFiles() {
        FileIdentity huge = new FileIdentity("huge", 1L << 40, 1);
        ChunkKey key = new ChunkKey(huge, 64 << 20, (1 << 14) - 1);
        assertThat(key.offset()).isEqualTo(((1L << 14) - 1) * (64L << 20));
        assertThat(key.length()).isEqualTo(64 << 20);
    }

    @Test
    void theChunkSizeIsPartOfTheKey() {
        assertThat(new ChunkKey(file, 4096, 1)).isNotEqualTo(new ChunkKey(file, 8192, 1));
    }

    @Test
    void rejectsChunksOutsideTheFile() {
        assertThatThrownBy(() -> new ChunkKey(file, 4096, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ChunkKey(file, 4096, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ChunkKey(new FileIdentity("empty", 0, 1), 4096, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ChunkKey(file, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkKey(null, 1, 0)).isInstanceOf(NullPointerException.class);
    }
}
