package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mpft.plugin.schedule.ChunkTimeoutPolicy;

/** The {@code mpft.chunk-timeout.*} keys build the schedule's {@link ChunkTimeoutPolicy}. */
class ChunkTimeoutSettingsTest {

    @Test
    void settingsCarryThePolicy() throws Exception {
        MpftSettings settings = MpftSettings.parse(java.util.Map.of(MpftKeys.CHUNK_TIMEOUT_MIN.key(), "750ms",
                MpftKeys.CHUNK_TIMEOUT_FACTOR.key(), "12"));
        assertThat(settings.chunkTimeouts()).isEqualTo(new ChunkTimeoutPolicy(Duration.ofMillis(750), 12));
        assertThat(MpftSettings.parse(java.util.Map.of()).chunkTimeouts()).isEqualTo(ChunkTimeoutPolicy.DEFAULT);
        assertThatThrownBy(() -> MpftSettings.parse(java.util.Map.of(MpftKeys.CHUNK_TIMEOUT_FACTOR.key(), "1")))
                .hasMessageContaining(MpftKeys.CHUNK_TIMEOUT_FACTOR.key());
    }
}
