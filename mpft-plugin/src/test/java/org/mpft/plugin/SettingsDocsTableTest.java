package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key table of {@code docs/ARCHITECTURE.md} ("Roles and settings") is what the declarations in
 * {@link MpftKeys} render: every row names a declared key, with its default, values and meaning.
 */
class SettingsDocsTableTest {

    private static final Path ARCHITECTURE = Path.of("..", "docs", "ARCHITECTURE.md");
    private static final String HEADING = "### Roles and settings (`plugin.properties`)";

    @Test
    void rolesAndSettingsTableIsRenderedFromTheDeclarations() throws IOException {
        List<String> lines = Files.readAllLines(ARCHITECTURE);
        int heading = lines.indexOf(HEADING);
        assertThat(heading).as(HEADING).isNotNegative();
        int start = heading + 2;
        assertThat(lines.get(start) + "\n" + lines.get(start + 1)).isEqualTo(SettingsDocs.tableHeader());
        List<String> keys = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        List<String> rendered = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String row = lines.get(i);
            String key = row.substring(row.indexOf('`') + 1, row.indexOf('`', row.indexOf('`') + 1));
            Setting<?> setting = MpftKeys.find(key).orElse(null);
            assertThat(setting).as("declared key %s", key).isNotNull();
            rows.add(row);
            rendered.add(SettingsDocs.tableRow(setting));
            keys.add(key);
        }
        if (!rows.equals(rendered)) {
            // the rows to paste into the table when a declaration changed on purpose
            Path file = Path.of("target", "architecture-settings-table.rendered");
            Files.createDirectories(file.getParent());
            Files.writeString(file, SettingsDocs.tableHeader() + "\n" + String.join("\n", rendered) + "\n");
        }
        assertThat(rows).as("docs/ARCHITECTURE.md rows (rendered: mpft-plugin/target/architecture-settings-table"
                + ".rendered)").containsExactlyElementsOf(rendered);
        // the multi-path keys, at least, are in the table
        assertThat(keys).contains(MpftKeys.ROLE.key(), MpftKeys.SECONDARIES.key(), MpftKeys.CLUSTER_SECRET_FILE.key(),
                MpftKeys.ACCEPT_PRIMARIES.key(), MpftKeys.ADVERTISE_ADDRESS.key());
    }
}
