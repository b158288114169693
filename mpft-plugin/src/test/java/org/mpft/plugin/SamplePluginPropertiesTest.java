package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The repository's sample plugin.properties documents every key, with the default the code uses. */
class SamplePluginPropertiesTest {

    private static final Pattern KEY_LINE = Pattern.compile("^#?(mpft\\.[a-z.-]+)=(.*)$");

    @Test
    void sampleListsEveryKeyWithItsDefault() throws IOException {
        Path sample = Path.of("..", "plugin.properties");
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(sample)) {
            Matcher m = KEY_LINE.matcher(line.trim());
            if (m.matches()) {
                documented.put(m.group(1), m.group(2).trim());
            }
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(MpftSettings.DEFAULTS.keySet());
        MpftSettings.DEFAULTS.forEach((key, value) -> {
            if (!key.equals(MpftSettings.CLUSTER_SECRET_FILE)) {
                assertThat(documented.get(key)).as(key).isEqualTo(value);
            }
        });
    }
}
