package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransportSettingsTest {

    @Test
    void defaultsAreEthernetSizedWithGso() {
        TransportSettings d = TransportSettings.defaults();
        assertThat(d.maxUdpPayload()).isEqualTo(1452);
        assertThat(d.gsoSegments()).isEqualTo(16);
        assertThat(d.receiveSlot()).isEqualTo(2048);
        assertThat(d.datagramsPerRead()).isEqualTo(32);
    }

    @ParameterizedTest
    @CsvSource({
        // payload, GSO segments, receive slot, datagrams per read
        "1200, 16, 2048, 32",
        "1452, 16, 2048, 32",
        "4000, 16, 4000, 32",
        "8952, 7, 8952, 29",
        "16383, 3, 16383, 16", // loopback: the largest packet quiche builds
        "32753, 2, 32753, 8",
        "32754, 1, 32754, 8",
        "65488, 1, 65488, 4",
        "65507, 1, 65507, 4",
    })
    void largerPayloadsTakeFewerGsoSegmentsAndLargerSlots(int payload, int segments, int slot, int perRead) {
        TransportSettings s = TransportSettings.defaults().withMaxUdpPayload(payload);
        assertThat(s.maxUdpPayload()).isEqualTo(payload);
        assertThat(s.gsoSegments()).isEqualTo(segments);
        assertThat((long) s.gsoSegments() * s.maxUdpPayload()).isLessThanOrEqualTo(TransportSettings.MAX_DATAGRAM);
        assertThat(s.receiveSlot()).isEqualTo(slot).isGreaterThanOrEqualTo(payload);
        assertThat(s.datagramsPerRead()).isEqualTo(perRead);
        assertThat(s.idleTimeout()).isEqualTo(TransportSettings.defaults().idleTimeout());
    }

    @ParameterizedTest
    @CsvSource({"1199", "65508", "0", "-1"})
    void payloadsOutsideWhatUdpAndQuicAllowAreRefused(int payload) {
        assertThatThrownBy(() -> TransportSettings.defaults().withMaxUdpPayload(payload))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUdpPayload");
    }

    @Test
    void gsoSendsLargerThanOneDatagramAreRefused() {
        TransportSettings d = TransportSettings.defaults();
        assertThatThrownBy(() -> new TransportSettings(d.idleTimeout(), d.connectionWindow(), d.streamWindow(),
                d.maxStreams(), 8952, 8, d.socketBufferBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gsoSegments");
    }
}
