package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpft.api.ChannelStartException;

/** {@code mpft.metrics.bind}: off by default, host:port with a real port, and a refusal naming the key. */
class MetricsBindSettingTest {

    @Test
    void offByDefault() throws Exception {
        assertThat(MpftSettings.parse(Map.of()).metricsBind()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:9464|127.0.0.1|9464",
        "[::1]:9464|::1|9464",
        "localhost:1|localhost|1",
    })
    void hostAndPort(String text, String host, int port) throws Exception {
        MpftSettings.HostPort bind = MpftSettings.parse(Map.of("mpft.metrics.bind", text)).metricsBind();
        assertThat(bind).isEqualTo(new MpftSettings.HostPort(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|invalid setting mpft.metrics.bind=127.0.0.1: expected host:port",
        "127.0.0.1:0|invalid setting mpft.metrics.bind=127.0.0.1:0: expected host:port with a port from 1 to 65535",
        "127.0.0.1:http|invalid setting mpft.metrics.bind=127.0.0.1:http: expected host:port with a port from 1"
            + " to 65535",
        "not a host!:9464|invalid setting mpft.metrics.bind=not a host!:9464: expected an IP address or host name",
    })
    void aBadValueNamesTheKey(String text, String message) {
        assertThatThrownBy(() -> MpftSettings.parse(Map.of("mpft.metrics.bind", text)))
                .isInstanceOf(ChannelStartException.class).hasMessageStartingWith(message);
    }
}
