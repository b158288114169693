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
        assertThat(s.maxStreamsPerConnection()).isEqualTo(16);
        assertThat(s.maxBytesInFlight()).isEqualTo(256L << 20);
        assertThat(s.maxSessions()).isEqualTo(64);
        assertThat(s.maxFileSize()).isEqualTo(1L << 40);
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void keysAreRead() throws Exception {
        MpftSettings s = MpftSettings.parse(Map.of(MpftSettings.AUTH_BACKOFF_BASE, "250ms",
                MpftSettings.AUTH_BACKOFF_MAX, "5m", MpftSettings.AUTH_BACKOFF_FREE, "0",
                MpftSettings.MAX_SESSIONS_PER_USER, "2", MpftSettings.MAX_TRANSFERS_PER_SESSION, "5",
                MpftSettings.MAX_STREAMS_PER_CONNECTION, "4", MpftSettings.MAX_BYTES_IN_FLIGHT, "1g"));
        assertThat(s.authBackoffBase()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.authBackoffMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.maxSessionsPerUser()).isEqualTo(2);
        assertThat(s.maxTransfersPerSession()).isEqualTo(5);
        assertThat(s.maxStreamsPerConnection()).isEqualTo(4);
        assertThat(s.maxBytesInFlight()).isEqualTo(1L << 30);
    }

    @Test
    void badValuesNameTheirKey() {
        for (String key : new String[] {MpftSettings.AUTH_BACKOFF_BASE, MpftSettings.AUTH_BACKOFF_FREE,
                MpftSettings.MAX_SESSIONS_PER_USER, MpftSettings.MAX_TRANSFERS_PER_SESSION,
                MpftSettings.MAX_STREAMS_PER_CONNECTION, MpftSettings.MAX_BYTES_IN_FLIGHT}) {
            assertThatThrownBy(() -> MpftSettings.parse(Map.of(key, "-1"))).isInstanceOf(ChannelStartException.class)
                    .hasMessageContaining(key);
        }
        assertThatThrownBy(() -> MpftSettings.parse(Map.of(MpftSettings.AUTH_BACKOFF_BASE, "2m",
                MpftSettings.AUTH_BACKOFF_MAX, "1m"))).hasMessageContaining(MpftSettings.AUTH_BACKOFF_MAX);
    }

    @Test
    void moreBytesInFlightThanTheLimitRefusesTheStart() {
        assertThatThrownBy(() -> MpftSettings.parse(Map.of(MpftSettings.WINDOW, "64",
                MpftSettings.MAX_BYTES_IN_FLIGHT, "128m")))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(MpftSettings.MAX_BYTES_IN_FLIGHT).hasMessageContaining(MpftSettings.WINDOW);
    }

    @Test
    void aFixedChunkSizeIsTheLargestChunkInFlight() throws Exception {
        // with mpft.chunk-size set, chunk-size.max (16m by default) is never served: window x chunk-size counts
        MpftSettings s = MpftSettings.parse(Map.of(MpftSettings.CHUNK_SIZE, "256k", MpftSettings.WINDOW, "4",
                MpftSettings.MAX_BYTES_IN_FLIGHT, "1m"));
        assertThat(s.maxBytesInFlight()).isEqualTo(1L << 20);
        assertThatThrownBy(() -> MpftSettings.parse(Map.of(MpftSettings.CHUNK_SIZE, "256k", MpftSettings.WINDOW, "5",
                MpftSettings.MAX_BYTES_IN_FLIGHT, "1m")))
                .isInstanceOf(ChannelStartException.class).hasMessageContaining(MpftSettings.MAX_BYTES_IN_FLIGHT);
    }
}
