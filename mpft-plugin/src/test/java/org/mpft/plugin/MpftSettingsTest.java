package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpft.api.ChannelStartException;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.Strategy;
import org.mpft.transport.CongestionControl;

class MpftSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() throws Exception {
        MpftSettings s = MpftSettings.parse(Map.of());
        assertThat(s.bind().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(7300);
        assertThat(s.name()).isEqualTo("mpft");
        assertThat(s.chunkSize()).isEqualTo(4 << 20);
        assertThat(s.maxFileSize()).isEqualTo(1L << 40);
        assertThat(s.window()).isEqualTo(8);
        assertThat(s.checksum()).isEqualTo(ChecksumAlgorithm.CRC32C);
        assertThat(s.strategy()).isEqualTo(Strategy.ADAPTIVE);
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxSessions()).isEqualTo(64);
        assertThat(s.ioThreads()).isEqualTo(2);
        assertThat(s.digestThreads()).isEqualTo(2);
        assertThat(s.authFailureDelay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void readsEveryKey() throws Exception {
        MpftSettings s = MpftSettings.parse(Map.ofEntries(
                Map.entry("mpft.bind", "0.0.0.0"), Map.entry("mpft.port", "0"), Map.entry("mpft.role", "PRIMARY"),
                Map.entry("mpft.name", "files-1"), Map.entry("mpft.chunk-size", "512k"),
                Map.entry("mpft.max-file-size", "2g"), Map.entry("mpft.window", "16"),
                Map.entry("mpft.checksum", "sha256"), Map.entry("mpft.strategy", "alternate"),
                Map.entry("mpft.idle-timeout", "90s"), Map.entry("mpft.max-sessions", "3"),
                Map.entry("mpft.io-threads", "4"), Map.entry("mpft.digest-threads", "3"),
                Map.entry("mpft.auth-failure-delay", "0")));
        assertThat(s.bind().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isZero();
        assertThat(s.name()).isEqualTo("files-1");
        assertThat(s.chunkSize()).isEqualTo(512 * 1024);
        assertThat(s.maxFileSize()).isEqualTo(2L << 30);
        assertThat(s.window()).isEqualTo(16);
        assertThat(s.checksum()).isEqualTo(ChecksumAlgorithm.SHA256);
        assertThat(s.strategy()).isEqualTo(Strategy.ALTERNATE);
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.maxSessions()).isEqualTo(3);
        assertThat(s.ioThreads()).isEqualTo(4);
        assertThat(s.digestThreads()).isEqualTo(3);
        assertThat(s.authFailureDelay()).isZero();
    }

    @Test
    void udpPayloadIsAutoByDefaultOrTheNumberGiven() throws Exception {
        assertThat(MpftSettings.parse(Map.of()).maxUdpPayload()).isZero();
        assertThat(MpftSettings.parse(Map.of("mpft.max-udp-payload", "AUTO")).maxUdpPayload()).isZero();
        assertThat(MpftSettings.parse(Map.of("mpft.max-udp-payload", "8952")).maxUdpPayload()).isEqualTo(8952);
        assertThatThrownBy(() -> MpftSettings.parse(Map.of("mpft.max-udp-payload", "9k")))
                .hasMessageContaining("mpft.max-udp-payload").hasMessageContaining("auto or a number of bytes from 1200");
    }

    @Test
    void congestionControlIsBbrByDefaultOrTheOneNamed() throws Exception {
        assertThat(MpftSettings.parse(Map.of()).congestionControl()).isEqualTo(CongestionControl.BBR);
        assertThat(MpftSettings.parse(Map.of("mpft.congestion-control", "CUBIC")).congestionControl())
                .isEqualTo(CongestionControl.CUBIC);
        assertThat(MpftSettings.parse(Map.of("mpft.congestion-control", "reno")).congestionControl())
                .isEqualTo(CongestionControl.RENO);
        assertThatThrownBy(() -> MpftSettings.parse(Map.of("mpft.congestion-control", "bbr2")))
                .hasMessage("invalid setting mpft.congestion-control=bbr2: expected bbr, cubic or reno");
    }

    @Test
    void keysOfOthersAreIgnored() throws Exception {
        MpftSettings s = MpftSettings.parse(Map.of("other.port", "nonsense", "mpftx", "1", "sftp.bind", "x"));
        assertThat(s.port()).isEqualTo(7300);
    }

    @Test
    void unknownMpftKeyIsNamed() {
        assertThatThrownBy(() -> MpftSettings.parse(Map.of("mpft.chunksize", "4m")))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining("unknown setting mpft.chunksize")
                .hasMessageContaining("mpft.chunk-size");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mpft.bind|not an address!",
        "mpft.bind|no-such-host.invalid",
        "mpft.port|65536",
        "mpft.port|-1",
        "mpft.port|http",
        "mpft.role|secondary",
        "mpft.role|boss",
        "mpft.name|two words",
        "mpft.chunk-size|1k",
        "mpft.chunk-size|65m",
        "mpft.chunk-size|4x",
        "mpft.max-file-size|lots",
        "mpft.window|0",
        "mpft.window|257",
        "mpft.checksum|md5",
        "mpft.strategy|random",
        "mpft.idle-timeout|0",
        "mpft.idle-timeout|2d",
        "mpft.max-sessions|0",
        "mpft.io-threads|many",
        "mpft.digest-threads|0",
        "mpft.auth-failure-delay|-1",
        "mpft.port|' '",
        "mpft.max-udp-payload|1199",
        "mpft.max-udp-payload|65508",
        "mpft.max-udp-payload|jumbo",
    })
    void malformedValueIsNamed(String key, String value) {
        assertThatThrownBy(() -> MpftSettings.parse(Map.of(key, value)))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(key);
    }

    @Test
    void readsTheMultiPathKeys() throws Exception {
        MpftSettings primary = MpftSettings.parse(Map.of("mpft.secondaries", "10.0.0.2:7300, [::1]:7301,files-b:7302",
                "mpft.cluster.secret-file", "cluster.secret", "mpft.advertise-address", "203.0.113.9:7400",
                "mpft.max-send-rate", "40m", "mpft.chunk-retries", "5"));
        assertThat(primary.role()).isEqualTo(MpftSettings.Role.PRIMARY);
        assertThat(primary.secondaries()).extracting(Object::toString)
                .containsExactly("10.0.0.2:7300", "[::1]:7301", "files-b:7302");
        assertThat(primary.clusterSecretFile()).isEqualTo(java.nio.file.Path.of("cluster.secret"));
        assertThat(primary.advertiseHost()).isEqualTo("203.0.113.9");
        assertThat(primary.advertisePort()).isEqualTo(7400);
        assertThat(primary.maxSendRate()).isEqualTo(40L << 20);
        assertThat(primary.chunkRetries()).isEqualTo(5);

        MpftSettings secondary = MpftSettings.parse(Map.of("mpft.role", "secondary", "mpft.cluster.secret-file",
                "/etc/mpft/secret", "mpft.cluster.accept-primaries", "127.0.0.1, 10.0.0.1",
                "mpft.advertise-address", "files.example.org"));
        assertThat(secondary.role()).isEqualTo(MpftSettings.Role.SECONDARY);
        assertThat(secondary.acceptPrimaries()).extracting(java.net.InetAddress::getHostAddress)
                .containsExactly("127.0.0.1", "10.0.0.1");
        assertThat(secondary.advertiseHost()).isEqualTo("files.example.org");
        assertThat(secondary.advertisePort()).isZero();

        MpftSettings plain = MpftSettings.parse(Map.of());
        assertThat(plain.secondaries()).isEmpty();
        assertThat(plain.maxSendRate()).isZero();
        assertThat(plain.chunkRetries()).isEqualTo(3);
        assertThat(plain.advertiseHost()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mpft.role=secondary|mpft.role",
        "mpft.role=secondary,mpft.cluster.secret-file=s|mpft.cluster.accept-primaries",
        "mpft.secondaries=10.0.0.2:7300|mpft.cluster.secret-file",
        "mpft.secondaries=10.0.0.2,mpft.cluster.secret-file=s|mpft.secondaries",
        "mpft.secondaries=10.0.0.2:70000,mpft.cluster.secret-file=s|mpft.secondaries",
        "mpft.cluster.accept-primaries=no-such-host.invalid|mpft.cluster.accept-primaries",
        "mpft.advertise-address=a b|mpft.advertise-address",
        "mpft.max-send-rate=fast|mpft.max-send-rate",
        "mpft.chunk-retries=-1|mpft.chunk-retries",
    })
    void inconsistentMultiPathSettingsAreNamed(String settings, String named) {
        Map<String, String> map = new java.util.HashMap<>();
        for (String pair : settings.split(",")) {
            String[] kv = pair.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        assertThatThrownBy(() -> MpftSettings.parse(map))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining(named);
    }

    @ParameterizedTest
    @CsvSource({"4096,4096", "4k,4096", "4K,4096", "4m,4194304", "4MiB,4194304", "4mb,4194304", "1g,1073741824",
        "1t,1099511627776", "' 8k ',8192"})
    void sizesTakeBinarySuffixes(String text, long bytes) {
        assertThat(MpftSettings.parseSize(text)).isEqualTo(bytes);
    }
}
