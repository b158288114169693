package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mpft.bench.report.Fixtures.GIB;
import static org.mpft.bench.report.Fixtures.ok;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TargetGoalsTest {

    private static RunRecord wall(String scenario, String tool, int run, long bytes, double seconds) {
        return new RunRecord(scenario, tool, run, bytes, seconds, 1, 1, 100 * 1024, 0, 0, RunRecord.STATUS_OK, "-", "-");
    }

    private static RunRecord transfer(String scenario, String tool, int run, double mbps, double transferMbps, int rate1) {
        return new RunRecord(scenario, tool, run, GIB, GIB / 1e6 / mbps, 2, 3, 200 * 1024, rate1, 0,
                RunRecord.STATUS_OK, "-", "-", GIB / 1e6 / transferMbps);
    }

    private static RunRecord cpu(String scenario, String tool, int run, double mbps, double cpuSeconds) {
        return new RunRecord(scenario, tool, run, GIB, GIB / 1e6 / mbps, cpuSeconds, 3, 200 * 1024, 500, 500,
                RunRecord.STATUS_OK, "-", "-");
    }

    /** Every goal met, three runs each (ten for the 1 kB file). */
    static List<RunRecord> metSet() {
        List<RunRecord> r = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            r.add(ok("equal", "mpft-default", run, 48.0, 200, 200));
            r.add(ok("equal", "sftp", run, 24.0, 200, 200));
            r.add(ok("unequal", "mpft-default", run, 46.0, 300, 100));
            r.add(ok("unequal", "sftp", run, 34.0, 300, 100));
            r.add(cpu("fast", "mpft-default", run, 110.0, 10));
            r.add(cpu("fast", "sftp", run, 57.0, 16));
            r.add(ok("lossy-long", "mpft-default", run, 43.0, 200, 200));
            r.add(ok("lossy-long", "sftp", run, 17.0, 200, 200));
            r.add(ok("long", "mpft-default", run, 46.0, 200, 200));
            r.add(ok("long", "sftp", run, 12.4, 200, 200));
            r.add(ok("mixed-rtt", "mpft-default", run, 45.5, 200, 200));
            r.add(ok("mixed-rtt", "sftp", run, 23.0, 200, 200));
            r.add(transfer("shaped", "mpft-single", run, 24.0, 24.2, 200));
            r.add(ok("shaped", "sftp", run, 23.5, 200, 0));
            r.add(ok("loopback", "mpft-single", run, 360, 0, 0));
            r.add(ok("loopback", "sftp-gcm", run, 343, 0, 0));
            r.add(wall("dead-secondary", "mpft-dead-secondary", run, GIB, 10.5));
            r.add(wall("dead-secondary", "mpft-link-down", run, 0, 1.5 + run * 0.5));
            r.add(wall("dead-secondary", "mpft-primary-only", run, GIB, 10.0));
            r.add(ok("tree-loopback", "mpft-default", run, 150, 0, 0));
            r.add(ok("tree-loopback", "scp-r", run, 100, 0, 0));
            r.add(ok("tree-loopback", "rclone-copy4", run, 140, 0, 0));
            r.add(ok("tree-equal", "mpft-default", run, 45, 200, 200));
            r.add(ok("tree-equal", "sftp-r", run, 20, 200, 200));
            r.add(ok("tree-equal", "rclone-copy4", run, 25, 200, 200));
            r.add(ok("tree-equal", "mpft-single", run, 30, 200, 200));
        }
        for (int run = 1; run <= 10; run++) {
            r.add(wall("small", "mpft-default", run, 1000, run <= 5 ? 0.30 : 0.38));
            r.add(wall("small", "sftp", run, 1000, 0.23));
        }
        r.add(Fixtures.rss("memory-4g", 4 * GIB, 150 * 1024));
        r.add(Fixtures.rss("memory-1g", GIB, 140 * 1024));
        return r;
    }

    private static Map<String, TargetGoal> byGoal(List<TargetGoal> goals) {
        return goals.stream().collect(Collectors.toMap(TargetGoal::goal, Function.identity()));
    }

    @Test
    void aSetThatMeetsEveryGoalHasARowPerGoalAllMet() {
        List<TargetGoal> goals = TargetGoals.evaluate(metSet());

        assertThat(goals).hasSize(21).allSatisfy(g -> assertThat(g.verdict()).as(g.goal()).isEqualTo(Verdict.PASS));
        Map<String, TargetGoal> g = byGoal(goals);
        TargetGoal equal = g.get("200 + 200 Mbit/s: mpft get (no strategy option) >= 1.9x OpenSSH sftp, wall time");
        assertThat(equal.measured()).isEqualTo("48.0 MB/s");
        assertThat(equal.peer()).isEqualTo("sftp 24.0 MB/s");
        assertThat(equal.ratio()).isEqualTo("2.00x");
        assertThat(equal.target()).isEqualTo(">= 1.90x");
        assertThat(equal.verdictText()).isEqualTo("met");
        TargetGoal unequal = g.get("300 + 100 Mbit/s: default >= 90% of the summed capacity");
        assertThat(unequal.measured()).isEqualTo("46.0 MB/s (92.0%)");
        assertThat(unequal.target()).isEqualTo(">= 90.0% of 50.0 MB/s");
        // 10 vs 16 CPU-s per GiB moved
        assertThat(g.get("500 + 500 Mbit/s: client CPU per GiB <= sftp's").ratio()).isEqualTo("0.63x");
        // the shaped path: 24.2 MB/s over the transfer of a 25 MB/s tbf rate
        assertThat(g.get("one path, shaped: mpft single >= 95% of the tbf rate over the transfer").ratio())
                .isEqualTo("96.8%");
        // five runs of 0.30 s and five of 0.38 s
        assertThat(g.get("1 kB file: <= 0.40 s wall, median of 10 (mpft get to a primary with a secondary)").measured())
                .isEqualTo("0.34 s (10 runs)");
        assertThat(g.get("secondary dead at start: <= 1 s slower than a primary-only download").measured())
                .isEqualTo("10.50 s (+0.50 s)");
        assertThat(g.get("secondary dead at start: the primary notices the dead link within 3 s").measured())
                .isEqualTo("2.50 s (3 runs)");
        // sorted by file size whatever the order in the file
        assertThat(g.get("client memory: the largest file's peak RSS within 10% of the smallest's").ratio())
                .isEqualTo("1.07x");
        assertThat(g.get("client memory: peak RSS <= 160 MiB for any file size (bin/mpft's defaults)").measured())
                .isEqualTo("150 MiB (largest of 1g, 4g)");
        // the best single-path tree peer is rclone (25), not mpft single path
        TargetGoal tree = g.get("tree, 200 + 200 Mbit/s: mpft get -r >= 1.6x the best single-path peer");
        assertThat(tree.peer()).isEqualTo("rclone-copy4 25.0 MB/s");
        assertThat(tree.ratio()).isEqualTo("1.80x");
    }

    @Test
    void aMissIsMissedAndAnUnmeasuredGoalIsSaidSo() {
        List<RunRecord> records = new ArrayList<>(metSet());
        records.removeIf(r -> r.scenario().equals("long") || r.scenario().equals("small"));
        records.add(ok("long", "mpft-default", 1, 33.8, 200, 200));
        records.add(ok("long", "sftp", 1, 12.4, 200, 200));
        records.add(Fixtures.failed("small", "mpft-default", 1, 0, 0));

        Map<String, TargetGoal> g = byGoal(TargetGoals.evaluate(records));

        TargetGoal capacity = g.get("200 + 200 Mbit/s, 100 ms RTT each: default >= 90% of the summed capacity");
        assertThat(capacity.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(capacity.verdictText()).isEqualTo("**missed**");
        assertThat(g.get("200 + 200 Mbit/s, 100 ms RTT each: default >= 3.5x sftp").verdict()).isEqualTo(Verdict.FAIL);
        TargetGoal small = g.get("1 kB file: <= 0.40 s wall, median of 10 (mpft get to a primary with a secondary)");
        assertThat(small.verdict()).isEqualTo(Verdict.PENDING);
        assertThat(small.verdictText()).isEqualTo("not measured");
        assertThat(small.measured()).isEqualTo("-");
        assertThat(small.peer()).isEqualTo("-");
    }

    @Test
    void aDeadSecondaryMoreThanASecondSlowerIsMissed() {
        List<RunRecord> records = List.of(wall("dead-secondary", "mpft-dead-secondary", 1, GIB, 15.2),
                wall("dead-secondary", "mpft-primary-only", 1, GIB, 10.0),
                new RunRecord("dead-secondary", "mpft-link-down", 1, 0, 0, 0, 0, 0, 0, 0, RunRecord.STATUS_FAIL, "-", "none"));

        Map<String, TargetGoal> g = byGoal(TargetGoals.evaluate(records));

        TargetGoal dead = g.get("secondary dead at start: <= 1 s slower than a primary-only download");
        assertThat(dead.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(dead.measured()).isEqualTo("15.20 s (+5.20 s)");
        assertThat(dead.peer()).isEqualTo("primary only 10.00 s");
        assertThat(g.get("secondary dead at start: the primary notices the dead link within 3 s").verdict())
                .isEqualTo(Verdict.PENDING);
    }

    @Test
    void theTableHasOneRowPerGoal() {
        String table = Markdown.targetGoalsTable(TargetGoals.evaluate(metSet()));

        assertThat(table).startsWith("| goal | measured | peer, same run | ratio | target | verdict |\n");
        assertThat(table.lines()).hasSize(2 + 21);
        assertThat(table).contains("| 200 + 200 Mbit/s: mpft get (no strategy option) >= 1.9x OpenSSH sftp, wall time "
                + "| 48.0 MB/s | sftp 24.0 MB/s | 2.00x | >= 1.90x | met |");
    }
}
