package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkRetriesTest {

    @Test
    void eachChunkMayFailAsOftenAsAllowedThenTheDownloadEnds() {
        ChunkRetries retries = new ChunkRetries(2);
        assertThat(retries.exhausted(retries.failed(7))).isFalse();
        assertThat(retries.exhausted(retries.failed(3))).isFalse(); // another chunk has its own count
        assertThat(retries.exhausted(retries.failed(7))).isFalse();
        int third = retries.failed(7);
        assertThat(third).isEqualTo(3);
        assertThat(retries.exhausted(third)).isTrue();
        assertThat(retries.retries()).isEqualTo(4);
        assertThat(retries.allowed()).isEqualTo(2);
    }

    @Test
    void noRetriesAllowed() {
        ChunkRetries retries = new ChunkRetries(0);
        assertThat(retries.exhausted(retries.failed(0))).isTrue();
    }
}
