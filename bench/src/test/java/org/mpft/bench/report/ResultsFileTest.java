package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {

    private static final String LINE = "equal\tmpft-alternate\t2\t1073741824\t45.500\t30.250\t61.000\t210000\t200\t200"
            + "\tok\tprimary:128:536870912,secondary:128:536870912\t-\t43.000";

    /** The same run as written before the transfer_s column (sessions 1 to 3). */
    private static final String LEGACY_LINE = LINE.substring(0, LINE.lastIndexOf('\t'));

    @Test
    void parsesFactsHeaderAndRecords() {
        String text = "# kernel=6.1.0\n# jdk = 17.0.15\n# a comment without key\n" + ResultsFile.HEADER + "\n"
                + LINE + "\n\n# load.end=3.5\n";

        ResultsFile.Results results = ResultsFile.parse(text, "r.tsv");

        assertThat(results.facts()).containsEntry("kernel", "6.1.0").containsEntry("jdk", "17.0.15")
                .containsEntry("load.end", "3.5").hasSize(3);
        assertThat(results.facts().keySet()).containsExactly("kernel", "jdk", "load.end");
        assertThat(results.records()).singleElement().satisfies(r -> {
            assertThat(r.scenario()).isEqualTo("equal");
            assertThat(r.tool()).isEqualTo("mpft-alternate");
            assertThat(r.run()).isEqualTo(2);
            assertThat(r.bytes()).isEqualTo(1L << 30);
            assertThat(r.wallSeconds()).isEqualTo(45.5);
            assertThat(r.clientCpuSeconds()).isEqualTo(30.25);
            assertThat(r.serverCpuSeconds()).isEqualTo(61.0);
            assertThat(r.clientRssKib()).isEqualTo(210000);
            assertThat(r.capacityMbit()).isEqualTo(400);
            assertThat(r.ok()).isTrue();
            assertThat(r.paths()).isEqualTo("primary:128:536870912,secondary:128:536870912");
            assertThat(r.transferSeconds()).isEqualTo(43.0);
        });
    }

    @Test
    void readsFilesWrittenBeforeTheTransferColumn() {
        ResultsFile.Results legacy = ResultsFile.parse(ResultsFile.LEGACY_HEADER + "\n" + LEGACY_LINE, "old.tsv");

        assertThat(legacy.records()).singleElement().satisfies(r -> {
            assertThat(r.wallSeconds()).isEqualTo(45.5);
            assertThat(r.transferSeconds()).isZero();
            assertThat(r.transferMegabytesPerSecond()).isZero();
        });
        assertThatThrownBy(() -> ResultsFile.parse(ResultsFile.LEGACY_HEADER + "\n" + LINE, "old.tsv"))
                .hasMessageContaining("old.tsv:2").hasMessageContaining("14 columns, expected 13");
    }

    @Test
    void formatRoundTrips() {
        RunRecord r = ResultsFile.parse(ResultsFile.HEADER + "\n" + LINE, "r").records().get(0);

        assertThat(ResultsFile.format(r)).isEqualTo(LINE);
    }

    @Test
    void derivedValues() {
        RunRecord r = ResultsFile.parse(ResultsFile.HEADER + "\n" + LINE, "r").records().get(0);

        assertThat(r.megabytesPerSecond()).isCloseTo(1073.741824 / 45.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.clientCpuPerGib()).isEqualTo(30.25);
        assertThat(r.serverCpuPerGib()).isEqualTo(61.0);
        assertThat(r.transferMegabytesPerSecond()).isCloseTo(1073.741824 / 43, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void refusesMissingHeader() {
        assertThatThrownBy(() -> ResultsFile.parse("# x=y\n" + LINE, "r.tsv"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r.tsv:2").hasMessageContaining("header");
        assertThatThrownBy(() -> ResultsFile.parse("# only facts\n", "r.tsv"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no header");
    }

    @Test
    void namesTheLineOfABadRecord() {
        assertThatThrownBy(() -> ResultsFile.parse(ResultsFile.HEADER + "\n" + LINE + "\n" + LINE.replace("45.500", "x"), "r.tsv"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("r.tsv:3:");
        assertThatThrownBy(() -> ResultsFile.parse(ResultsFile.HEADER + "\nequal\tsftp\t1", "r.tsv"))
                .hasMessageContaining("r.tsv:2: 3 columns, expected 14");
        assertThatThrownBy(() -> ResultsFile.parse(ResultsFile.HEADER + "\n" + LINE.replace("\tok\t", "\tmaybe\t"), "r.tsv"))
                .hasMessageContaining("unknown status 'maybe'");
        assertThatThrownBy(() -> ResultsFile.parse(ResultsFile.HEADER + "\n" + LINE.replace("45.500", "-1"), "r.tsv"))
                .hasMessageContaining("not a non-negative number");
    }

    @Test
    void readsAndMergesFiles(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.tsv");
        Path b = dir.resolve("b.tsv");
        Files.writeString(a, "# host=one\n# size=1\n" + ResultsFile.HEADER + "\n" + LINE + "\n");
        Files.writeString(b, "# size=4\n" + ResultsFile.HEADER + "\n" + LINE.replace("\t2\t", "\t3\t") + "\n");

        ResultsFile.Results merged = ResultsFile.read(List.of(a, b));

        assertThat(merged.records()).extracting(RunRecord::run).containsExactly(2, 3);
        assertThat(merged.facts()).containsEntry("host", "one").containsEntry("size", "4");
    }
}
