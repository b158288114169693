package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportMainTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ReportMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Path results(Path dir, List<RunRecord> records) throws Exception {
        Path file = dir.resolve("results.tsv");
        Files.writeString(file, "# file.bytes=1073741824\n" + ResultsFile.HEADER + "\n"
                + records.stream().map(ResultsFile::format).collect(Collectors.joining("\n")) + "\n");
        return file;
    }

    @Test
    void writesMarkdownChartAndDocAndPassesTheGate(@TempDir Path dir) throws Exception {
        Path tsv = results(dir, Fixtures.goodSet());
        Path doc = dir.resolve("BENCHMARKS.md");
        Files.writeString(doc, "intro\n" + DocSection.BEGIN + "\n" + DocSection.END + "\n");

        int code = run("--markdown", dir.resolve("r.md").toString(), "--chart", dir.resolve("c.png").toString(),
                "--doc", doc.toString(), "--gate", tsv.toString());

        assertThat(code).isZero();
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(stdout).contains("| file.bytes | 1073741824 |", "#### equal", "**PASS**",
                "| goal | measured | peer, same run | ratio | target | verdict |", "Further checks:");
        assertThat(Files.readString(dir.resolve("r.md"))).isEqualTo(stdout);
        assertThat(dir.resolve("c.png")).isNotEmptyFile();
        assertThat(Files.readString(doc)).startsWith("intro\n" + DocSection.BEGIN).contains("#### equal")
                .endsWith(DocSection.END + "\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("gate passed");
    }

    @Test
    void theEarlierChecksAreLeftOutWhenNoneWasMeasured(@TempDir Path dir) throws Exception {
        List<RunRecord> records = new java.util.ArrayList<>(TargetGoalsTest.metSet());
        records.removeIf(r -> r.scenario().startsWith("memory-"));
        Path tsv = results(dir, records);

        assertThat(run(tsv.toString())).isZero();
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(stdout).contains("| goal | measured | peer, same run | ratio | target | verdict |", "| met |")
                .doesNotContain("Further checks:", "| goal | measured | target | verdict | from |");
    }

    @Test
    void gateFailureExitsThree(@TempDir Path dir) throws Exception {
        Path tsv = results(dir, List.of(Fixtures.ok("equal", "mpft-single", 1, 24, 200, 200),
                Fixtures.failed("equal", "mpft-alternate", 1, 200, 200)));

        assertThat(run("--gate", tsv.toString())).isEqualTo(ReportMain.EXIT_GATE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mpft-alternate has no verified run");
    }

    @Test
    void badCommandLineExitsTwo(@TempDir Path dir) throws Exception {
        assertThat(run()).isEqualTo(ReportMain.EXIT_USAGE);
        assertThat(run("--bogus", "x")).isEqualTo(ReportMain.EXIT_USAGE);
        assertThat(run("--chart")).isEqualTo(ReportMain.EXIT_USAGE);
        assertThat(run(dir.resolve("missing.tsv").toString())).isEqualTo(ReportMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus", "--chart needs a value");
    }
}
