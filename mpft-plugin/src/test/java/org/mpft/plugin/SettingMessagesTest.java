package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpft.api.ChannelStartException;

/** The exact words an admin reads when a setting is refused: the key, the value and what was expected. */
class SettingMessagesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mpft.port=seventy|invalid setting mpft.port=seventy: expected a number from 0 to 65535",
        "mpft.port= 65536 |invalid setting mpft.port=65536: expected a number from 0 to 65535",
        "mpft.bind=not an address!|invalid setting mpft.bind=not an address!: expected an IP address or host name",
        "mpft.bind=no-such-host.invalid|invalid setting mpft.bind=no-such-host.invalid: unknown host",
        "mpft.role=boss|invalid setting mpft.role=boss: expected primary or secondary",
        "mpft.name=two words|invalid setting mpft.name=two words: expected 1 to 64 printable ASCII characters"
            + " without spaces",
        "mpft.chunk-size=1k|invalid setting mpft.chunk-size=1k: expected a size from 4096 to 67108864 bytes"
            + " (suffix k, m, g or t allowed)",
        "mpft.max-file-size=lots|invalid setting mpft.max-file-size=lots: expected a size from 0 to"
            + " 9223372036854775807 bytes (suffix k, m, g or t allowed)",
        "mpft.checksum=md5|invalid setting mpft.checksum=md5: expected sha256 or crc32c",
        "mpft.strategy=random|invalid setting mpft.strategy=random: expected alternate or adaptive",
        "mpft.compression=lz4|invalid setting mpft.compression=lz4: expected zstd, deflate or off",
        "mpft.idle-timeout=2d|invalid setting mpft.idle-timeout=2d: expected a duration from 1000ms to 3600s"
            + " (suffix ms, s, m or h)",
        "mpft.auth-failure-delay=-1|invalid setting mpft.auth-failure-delay=-1: expected a duration from 0ms to"
            + " 30s (suffix ms, s, m or h)",
        "mpft.max-udp-payload=jumbo|invalid setting mpft.max-udp-payload=jumbo: expected auto or a number of"
            + " bytes from 1200 to 65507",
        "mpft.chunksize=4m|unknown setting mpft.chunksize (known: ",
        "mpft.chunk-size.min=1m,mpft.chunk-size.max=512k|invalid setting mpft.chunk-size.max=512k: expected a"
            + " size from 1048576 to 67108864 bytes (suffix k, m, g or t allowed)",
        "mpft.auth.backoff.base=2m,mpft.auth.backoff.max=1m|invalid setting mpft.auth.backoff.max=1m: expected a"
            + " duration from 120000ms to 86400s (suffix ms, s, m or h)",
        "mpft.window=64,mpft.max-bytes-in-flight=128m|invalid setting mpft.max-bytes-in-flight=128m: mpft.window"
            + " (64) x the largest chunk (16777216 bytes) would put 1073741824 bytes in flight; raise it or lower"
            + " mpft.window or mpft.chunk-size.max",
        "mpft.window=16,mpft.max-bytes-held=128m|invalid setting mpft.max-bytes-held=128m: smaller than mpft.window"
            + " (16) x the largest chunk (16777216 bytes); raise it or lower mpft.window or mpft.chunk-size.max",
        "mpft.role=secondary|invalid setting mpft.role=secondary: it requires mpft.cluster.secret-file and"
            + " mpft.cluster.accept-primaries",
        "mpft.role=secondary,mpft.cluster.secret-file=s,mpft.cluster.accept-primaries=127.0.0.1,"
            + "mpft.secondaries=10.0.0.2:7300|invalid setting mpft.secondaries: only a primary has secondaries"
            + " (mpft.role=secondary)",
        "mpft.secondaries=10.0.0.2:7300|invalid setting mpft.secondaries: secondaries require"
            + " mpft.cluster.secret-file",
        "mpft.secondaries=10.0.0.2,mpft.cluster.secret-file=s|invalid setting mpft.secondaries=10.0.0.2: expected"
            + " host:port",
        "mpft.secondaries=10.0.0.2:70000,mpft.cluster.secret-file=s|invalid setting"
            + " mpft.secondaries=10.0.0.2:70000: expected host:port with a port from 1 to 65535",
        "mpft.cluster.accept-primaries=no-such-host.invalid|invalid setting"
            + " mpft.cluster.accept-primaries=no-such-host.invalid: unknown host",
        "mpft.advertise-address=a b|invalid setting mpft.advertise-address=a b: expected an IP address or host"
            + " name",
    })
    void aRefusedSettingSaysWhatWasExpected(String settings, String message) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : settings.split(",")) {
            String[] kv = pair.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        assertThatThrownBy(() -> MpftSettings.parse(map)).isInstanceOf(ChannelStartException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void aBlankValueIsEmpty() {
        assertThatThrownBy(() -> MpftSettings.parse(Map.of("mpft.port", " ")))
                .hasMessage("invalid setting mpft.port= : empty value");
    }

    @Test
    void anUnknownKeyListsEveryKnownOne() {
        assertThatThrownBy(() -> MpftSettings.parse(Map.of("mpft.chunksize", "4m")))
                .hasMessage("unknown setting mpft.chunksize (known: " + String.join(", ", MpftKeys.DEFAULTS.keySet())
                        + ")");
    }
}
