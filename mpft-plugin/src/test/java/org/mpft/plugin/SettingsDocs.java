package org.mpft.plugin;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders the settings' documentation from their declarations ({@link MpftKeys}): the sample
 * {@code plugin.properties} and the rows of the docs' key table. The tests compare the repository's files
 * with what this renders, so the documentation cannot drift from the code.
 */
final class SettingsDocs {

    /** The width of a section heading line in the sample. */
    static final int HEADING_WIDTH = 100;
    /** The width the sample's comments wrap at. */
    static final int COMMENT_WIDTH = 110;

    private SettingsDocs() {
    }

    /** The sample's keys, sections and comments after its free-text header. */
    static String sampleBody() {
        StringBuilder out = new StringBuilder();
        for (MpftKeys.Section section : MpftKeys.SECTIONS) {
            if (out.length() > 0) {
                out.append('\n');
            }
            String heading = "# --- " + section.title() + " ";
            out.append(heading).append("-".repeat(HEADING_WIDTH - heading.length())).append('\n');
            for (Setting<?> setting : section.settings()) {
                out.append(sampleEntry(setting));
            }
        }
        return out.toString();
    }

    /** One key in the sample: its doc and what it accepts as comment lines, then the key and its default. */
    static String sampleEntry(Setting<?> setting) {
        StringBuilder out = new StringBuilder();
        for (String line : wrap(setting.doc() + " Values: " + setting.accepts() + ".", COMMENT_WIDTH - 2)) {
            out.append("# ").append(line).append('\n');
        }
        return out.append('#').append(setting.key()).append('=').append(setting.defaultText()).append('\n')
                .toString();
    }

    /** The docs' key table header (two lines). */
    static String tableHeader() {
        return "| key | default | values | meaning |\n| --- | --- | --- | --- |";
    }

    /** One row of the docs' key table. */
    static String tableRow(Setting<?> setting) {
        String dflt = setting.defaultText().isEmpty() ? "(none)" : "`" + setting.defaultText() + "`";
        return "| `" + setting.key() + "` | " + dflt + " | " + setting.accepts() + " | " + setting.doc() + " |";
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
