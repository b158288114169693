package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The repository's sample plugin.properties documents every key, in the declarations' order, with the default
 * the code uses, its doc line and what it accepts: after its free-text header, the file is exactly what
 * {@link SettingsDocs#sampleBody()} renders from {@link MpftKeys}.
 */
class SamplePluginPropertiesTest {

    private static final Path SAMPLE = Path.of("..", "plugin.properties");
    private static final Pattern KEY_LINE = Pattern.compile("^#?(mpft\\.[a-z.-]+)=(.*)$");

    @Test
    void sampleListsEveryKeyWithItsDefaultInOrder() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(SAMPLE)) {
            Matcher m = KEY_LINE.matcher(line.trim());
            if (m.matches()) {
                documented.put(m.group(1), m.group(2).trim());
            }
        }
        assertThat(List.copyOf(documented.keySet())).containsExactlyElementsOf(MpftSettings.DEFAULTS.keySet());
        MpftSettings.DEFAULTS.forEach((key, value) -> assertThat(documented.get(key)).as(key).isEqualTo(value));
    }

    @Test
    void everyKeysDocLineIsRightAboveIt() throws IOException {
        String sample = Files.readString(SAMPLE);
        for (Setting<?> setting : MpftKeys.ALL) {
            assertThat(sample).as(setting.key()).contains(SettingsDocs.sampleEntry(setting));
        }
    }

    @Test
    void sampleAfterItsHeaderIsWhatTheDeclarationsRender() throws IOException {
        String sample = Files.readString(SAMPLE);
        int body = sample.indexOf("# --- ");
        assertThat(body).as("first section heading").isPositive();
        String expected = sample.substring(0, body) + SettingsDocs.sampleBody();
        if (!sample.equals(expected)) {
            // the file to copy over ../plugin.properties when a declaration changed on purpose
            Path rendered = Path.of("target", "plugin.properties.rendered");
            Files.createDirectories(rendered.getParent());
            Files.writeString(rendered, expected);
        }
        assertThat(sample).as("plugin.properties (rendered: mpft-plugin/target/plugin.properties.rendered)")
                .isEqualTo(expected);
    }
}
