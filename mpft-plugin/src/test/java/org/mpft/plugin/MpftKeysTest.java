package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mpft.api.ChannelStartException;

/** The declarations themselves: one per key, each complete, each default valid, each bound enforced. */
class MpftKeysTest {

    @Test
    void everyKeyIsDeclaredOnceUnderThePrefix() {
        Set<String> keys = new HashSet<>();
        for (Setting<?> setting : MpftKeys.ALL) {
            assertThat(keys.add(setting.key())).as("declared once: %s", setting.key()).isTrue();
            assertThat(setting.key()).startsWith(MpftSettings.PREFIX);
            assertThat(setting.doc()).as(setting.key()).isNotBlank().endsWith(".").doesNotContain("\n");
            assertThat(setting.accepts()).as(setting.key()).isNotBlank();
            assertThat(MpftKeys.find(setting.key())).containsSame(setting);
        }
        assertThat(MpftKeys.DEFAULTS.keySet())
                .containsExactlyElementsOf(MpftKeys.ALL.stream().map(Setting::key).toList());
        assertThat(MpftKeys.find("mpft.no-such-key")).isEmpty();
    }

    @Test
    void everyDefaultParses() throws ChannelStartException {
        for (Setting<?> setting : MpftKeys.ALL) {
            setting.parse(setting.defaultText());
        }
    }

    @Test
    void boundsAreInclusiveAndTheMessageNamesKeyValueAndRange() throws ChannelStartException {
        assertThat(MpftKeys.WINDOW.parse("1")).isEqualTo(1);
        assertThat(MpftKeys.WINDOW.parse(" 256 ")).isEqualTo(256);
        assertThatThrownBy(() -> MpftKeys.WINDOW.parse("257")).isInstanceOf(ChannelStartException.class)
                .hasMessage("invalid setting mpft.window=257: expected a number from 1 to 256");
        assertThat(MpftKeys.CHUNK_SIZE.parse("4k")).isEqualTo(4096);
        assertThat(MpftKeys.CHUNK_SIZE.parse("64m")).isEqualTo(64 << 20);
        assertThat(MpftKeys.AUTH_FAILURE_DELAY.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> MpftKeys.AUTH_FAILURE_DELAY.parse("30001ms"))
                .hasMessageContaining("mpft.auth-failure-delay=30001ms");
        assertThat(MpftKeys.COMPRESSION.parse(" OFF ")).isEqualTo(org.mpft.protocol.Encoding.RAW);
        assertThat(MpftKeys.ADVERTISE_ADDRESS.parse("")).isNull();
        assertThat(MpftKeys.CLUSTER_SECRET_FILE.parse(" ")).isNull();
    }

    @Test
    void acceptsStatesBoundsInTheUnitsAnAdminWrites() {
        assertThat(MpftKeys.CHUNK_SIZE.accepts()).isEqualTo("a size from 4k to 64m");
        assertThat(MpftKeys.MAX_BYTES_IN_FLIGHT.accepts()).isEqualTo("a size from 1m to 1t");
        assertThat(MpftKeys.AUTH_BACKOFF_FORGET.accepts()).isEqualTo("a duration from 1s to 168h");
        assertThat(MpftKeys.CHUNK_TIMEOUT_MIN.accepts()).isEqualTo("a duration from 100ms to 1h");
        assertThat(MpftKeys.WINDOW.accepts()).isEqualTo("a number from 1 to 256");
        assertThat(MpftKeys.CHECKSUM.accepts()).isEqualTo("sha256 or crc32c");
    }

    @Test
    void keysAreSpelledOnlyInTheirDeclarations() throws IllegalAccessException {
        Set<String> keyStrings = new HashSet<>();
        for (Field field : MpftSettings.class.getFields()) {
            if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())) {
                keyStrings.add((String) field.get(null));
            }
        }
        assertThat(keyStrings).containsExactly(MpftSettings.PREFIX);
        assertThat(MpftSettings.DEFAULTS).isSameAs(MpftKeys.DEFAULTS);
    }
}
