package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mpft.api.ChannelStartException;

/** The security limits' keys: safe defaults, and every bad value refused with the key's name. */
class LimitSettingsTest {

    @Test
    void defaultsAreSafe() throws Exception {
        MpftSettings s = MpftSettings.parse(Map.of());
        assertThat(s.authBackoffBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.authBackoffMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.authBackoffFreeFailures()).isEqualTo(3);
        assertThat(s.authBackoffForget()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.maxSessionsPerUser()).isEqualTo(8);
        assertThat(s.maxTransfersPerSession()).isEqualTo(1000);
        assertThat(s.maxConcurrentTransfers()).isEqualTo(8);
        assertThat(s.maxStreamsPerConnection()).isEqualTo(64);
        assertThat(s.maxBytesInFlight()).isEqualTo(256L << 20);
        assertThat(s.maxSessions()).isEqualTo(64);
        assertThat(s.maxFileSize()).isEqualTo(1L << 40);
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void keysAreRead() throws Exception {
        MpftSettings s = MpftSettings.parse(Map.of(MpftKeys.AUTH_BACKOFF_BASE.key(), "250ms",
                MpftKeys.AUTH_BACKOFF_MAX.key(), "5m", MpftKeys.AUTH_BACKOFF_FREE.key(), "0",
                MpftKeys.MAX_SESSIONS_PER_USER.key(), "2", MpftKeys.MAX_TRANSFERS_PER_SESSION.key(), "5",
                MpftKeys.MAX_STREAMS_PER_CONNECTION.key(), "4", MpftKeys.MAX_BYTES_IN_FLIGHT.key(), "1g",
                MpftKeys.MAX_CONCURRENT_TRANSFERS.key(), "3"));
        assertThat(s.authBackoffBase()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.authBackoffMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.maxSessionsPerUser()).isEqualTo(2);
        assertThat(s.maxTransfersPerSession()).isEqualTo(5);
        assertThat(s.maxStreamsPerConnection()).isEqualTo(4);
        assertThat(s.maxBytesInFlight()).isEqualTo(1L << 30);
        assertThat(s.maxConcurrentTransfers()).isEqualTo(3);
    }

    @Test
    void badValuesNameTheirKey() {
        for (String key : new String[] {MpftKeys.AUTH_BACKOFF_BASE.key(), MpftKeys.AUTH_BACKOFF_FREE.key(),
                MpftKeys.MAX_SESSIONS_PER_USER.key(), MpftKeys.MAX_TRANSFERS_PER_SESSION.key(),
                MpftKeys.MAX_STREAMS_PER_CONNECTION.key(), MpftKeys.MAX_BYTES_IN_FLIGHT.key(),
                MpftKeys.MAX_CONCURRENT_TRANSFERS.key()}) {
            assertThatThrownBy(() -> MpftSettings.parse(Map.of(key, "-1"))).isInstanceOf(ChannelStartException.class)
                    .hasMessageContaining(key);
        }
        assertThatThrownBy(() -> MpftSettings.parse(Map.of(MpftKeys.MAX_CONCURRENT_TRANSFERS.key(), "65")))
                .hasMessageContaining(MpftKeys.MAX_CONCURRENT_TRANSFERS.key());
        assertThatThrownBy(() -> MpftSettings.parse(Map.of(MpftKeys.AUTH_BACKOFF_BASE.key(), "2m",
                MpftKeys.AUTH_BACKOFF_MAX.key(), "1m"))).hasMessageContaining(MpftKeys.AUTH_BACKOFF_MAX.key());
    }

    @Test
    void moreBytesInFlightThanTheLimitRefusesTheStart() {
        assertThatThrownBy(() -> MpftSettings.parse(Map.of(MpftKeys.WINDOW.key(), "64",
                MpftKeys.MAX_BYTES_IN_FLIGHT.key(), "128m")))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(MpftKeys.MAX_BYTES_IN_FLIGHT.key()).hasMessageContaining(MpftKeys.WINDOW.key());
    }

    @Test
    void aFixedChunkSizeIsTheLargestChunkInFlight() throws Exception {
        // with mpft.chunk-size set, chunk-size.max (16m by default) is never served: window x chunk-size counts
        MpftSettings s = MpftSettings.parse(Map.of(MpftKeys.CHUNK_SIZE.key(), "256k", MpftKeys.WINDOW.key(), "4",
                MpftKeys.MAX_BYTES_IN_FLIGHT.key(), "1m"));
        assertThat(s.maxBytesInFlight()).isEqualTo(1L << 20);
        assertThatThrownBy(() -> MpftSettings.parse(Map.of(MpftKeys.CHUNK_SIZE.key(), "256k", MpftKeys.WINDOW.key(), "5",
                MpftKeys.MAX_BYTES_IN_FLIGHT.key(), "1m")))
                .isInstanceOf(ChannelStartException.class).hasMessageContaining(MpftKeys.MAX_BYTES_IN_FLIGHT.key());
    }
}
