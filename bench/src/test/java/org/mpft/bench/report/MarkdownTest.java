package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mpft.bench.report.Fixtures.failed;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MarkdownTest {

    private static RunRecord run(String scenario, String tool, double wall, int r1, int r2) {
        // 100 MB so that MB/s = 100 / wall
        return new RunRecord(scenario, tool, 1, 100_000_000, wall, 0.5, 1.5, 102_400, r1, r2, RunRecord.STATUS_OK,
                "-", "-");
    }

    @Test
    void rendersAScenarioTableWithRatios() {
        RunRecord single = run("equal", "mpft-single", 4, 200, 200);
        RunRecord alternate = run("equal", "mpft-alternate", 2, 200, 200);
        // the client's own clock: 2.5 s and 1.25 s of the 4 s and 2 s
        single = new RunRecord(single.scenario(), single.tool(), 1, single.bytes(), 4, 0.5, 1.5, 102_400, 200, 200,
                RunRecord.STATUS_OK, "-", "-", 2.5);
        alternate = new RunRecord(alternate.scenario(), alternate.tool(), 1, alternate.bytes(), 2, 0.5, 1.5, 102_400,
                200, 200, RunRecord.STATUS_OK, "-", "-", 1.25);
        Summaries s = Summaries.of(List.of(single, alternate,
                run("equal", "sftp", 5, 200, 200), failed("equal", "scp", 1, 200, 200)));

        String table = Markdown.scenarioTable("equal", s);

        assertThat(table).isEqualTo("""
                #### equal — 200 + 200 Mbit/s (capacity 50.0 MB/s)

                | tool | verified runs | MB/s (median) | of capacity | vs mpft single | vs best peer | MB/s over the transfer | client CPU s/GiB | server CPU s/GiB | client peak RSS MiB |
                | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |
                | mpft-single | 1/1 | 25.0 | 50.0% | 1.00x | 1.25x | 40.0 | 5.37 | 16.11 | 100 |
                | mpft-alternate | 1/1 | 50.0 | 100.0% | 2.00x | 2.50x | 80.0 | 5.37 | 16.11 | 100 |
                | sftp | 1/1 | 20.0 | 40.0% | 0.80x | 1.00x | - | 5.37 | 16.11 | 100 |
                | scp | 0/1 | - | - | - | - | - | - | - | - |

                best single-server peer: sftp
                """);
    }

    @Test
    void loopbackHasNoCapacity() {
        Summaries s = Summaries.of(List.of(run("loopback", "sftp", 0.5, 0, 0)));

        assertThat(Markdown.scenarioTable("loopback", s))
                .startsWith("#### loopback — unshaped (loopback)\n")
                .contains("| sftp | 1/1 | 200.0 | - | - | 1.00x |");
    }

    @Test
    void rendersGoalsWithVerdicts() {
        List<GoalResult> goals = List.of(
                new GoalResult("two equal paths: a | b", OptionalDouble.of(1.95), "x", 1.9, Double.POSITIVE_INFINITY, "x / y"),
                new GoalResult("capacity", OptionalDouble.of(0.5), "%", 0.9, Double.POSITIVE_INFINITY, "z"),
                new GoalResult("memory", OptionalDouble.empty(), "x", 0.9, 1.1, "m"));

        assertThat(Markdown.goalsTable(goals)).isEqualTo("""
                | goal | measured | target | verdict | from |
                | --- | --: | --: | --- | --- |
                | two equal paths: a \\| b | 1.95x | >= 1.90x | **PASS** | x / y |
                | capacity | 50.0% | >= 90.0% | **FAIL** | z |
                | memory | - | 0.90x .. 1.10x | pending | m |
                """);
    }

    @Test
    void reportHasFactsEveryScenarioAndTheGoals() {
        Summaries s = Summaries.of(Fixtures.goodSet());

        String report = Markdown.report(Map.of("kernel", "6.1"), s, Goals.evaluate(s));

        assertThat(report).startsWith("| fact | value |\n| --- | --- |\n| kernel | 6.1 |\n\n#### equal");
        assertThat(report).contains("#### unequal — 300 + 100 Mbit/s (capacity 50.0 MB/s)", "#### loopback",
                "#### memory-1g", "#### memory-4g", "| goal | measured |");
        assertThat(report.indexOf("#### equal")).isLessThan(report.indexOf("#### unequal"));
    }

    @Test
    void numbersUseADotWhateverTheLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(Markdown.number(1.5, 2)).isEqualTo("1.50");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
