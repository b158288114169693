package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.mpft.bench.report.Fixtures.GIB;
import static org.mpft.bench.report.Fixtures.failed;
import static org.mpft.bench.report.Fixtures.ok;
import static org.mpft.bench.report.Fixtures.rss;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class GoalsTest {

    @Test
    void aGoodSetPassesEveryGoal() {
        List<GoalResult> goals = Goals.evaluate(Summaries.of(Fixtures.goodSet()));

        assertThat(goals).hasSize(12).allSatisfy(g -> assertThat(g.verdict()).as(g.goal()).isEqualTo(Verdict.PASS));
        // alternate 47.0 / single median 23.7
        assertThat(goals.get(0).measured().getAsDouble()).isCloseTo(47.0 / 23.7, offset(1e-9));
        // adaptive 47.5 / best peer lftp 23.8
        assertThat(goals.get(3).measured().getAsDouble()).isCloseTo(47.5 / 23.8, offset(1e-9));
        assertThat(goals.get(3).basis()).isEqualTo("mpft-adaptive / lftp-pget4");
        // adaptive 46.0 of (300 + 100) / 8 = 50 MB/s
        assertThat(goals.get(4).measured().getAsDouble()).isCloseTo(0.92, offset(1e-9));
        // alternate 23.5 of 2 x 100 / 8 = 25 MB/s
        assertThat(goals.get(5).measured().getAsDouble()).isCloseTo(0.94, offset(1e-9));
        assertThat(goals.get(6).measured().getAsDouble()).isCloseTo(250 / 170.0, offset(1e-9));
        // capped loopback: alternate 38.5 / single 19.5; adaptive 74.0 of (160 + 480) / 8 = 80 MB/s
        assertThat(goals.get(7).measured().getAsDouble()).isCloseTo(38.5 / 19.5, offset(1e-9));
        assertThat(goals.get(9).measured().getAsDouble()).isCloseTo(74.0 / 80, offset(1e-9));
        // capped loopback, unequal caps: adaptive 74.0 / alternate 39.5
        assertThat(goals.get(10).measured().getAsDouble()).isCloseTo(74.0 / 39.5, offset(1e-9));
        assertThat(goals.get(11).measured().getAsDouble()).isCloseTo(310.0 / 300, offset(1e-9));
    }

    @Test
    void missesAreFailuresAndMissingDataIsPending() {
        List<RunRecord> r = new ArrayList<>();
        r.add(ok("equal", "mpft-single", 1, 24, 200, 200));
        r.add(ok("equal", "mpft-alternate", 1, 40, 200, 200));   // 1.67x: misses 1.9x
        r.add(failed("equal", "mpft-adaptive", 1, 200, 200));     // never verified: pending
        r.add(ok("equal", "sftp", 1, 23, 200, 200));
        r.add(ok("unequal", "mpft-adaptive", 1, 44.9, 300, 100)); // 89.8%: misses 90%
        r.add(ok("capped-equal", "mpft-single", 1, 19.6, 160, 160));
        r.add(ok("capped-equal", "mpft-alternate", 1, 37.0, 160, 160)); // 1.89x: misses 1.9x
        r.add(ok("capped-equal", "mpft-adaptive", 1, 38.0, 160, 160));  // 1.94x: passes
        r.add(ok("capped-unequal", "mpft-adaptive", 1, 71.0, 160, 480)); // 88.8% of 80 MB/s: misses 90%
        r.add(ok("capped-unequal", "mpft-alternate", 1, 45.0, 160, 480)); // adaptive 1.58x: misses 1.6x
        r.add(rss("memory-1g", GIB, 300_000));
        r.add(rss("memory-4g", 4 * GIB, 331_000));                // +10.3%: misses 10%

        List<GoalResult> goals = Goals.evaluate(Summaries.of(r));

        assertThat(goals).extracting(GoalResult::verdict).containsExactly(Verdict.FAIL, Verdict.PENDING,
                Verdict.FAIL, Verdict.PENDING, Verdict.FAIL, Verdict.PENDING, Verdict.PENDING,
                Verdict.FAIL, Verdict.PASS, Verdict.FAIL, // capped loopback: alternate, adaptive, unequal caps
                Verdict.FAIL, // adaptive over alternate, unequal caps
                Verdict.FAIL);
    }

    @Test
    void memoryGoalIsTwoSided() {
        List<RunRecord> r = List.of(rss("memory-1g", GIB, 300_000), rss("memory-4g", 4 * GIB, 260_000));

        GoalResult memory = Goals.evaluate(Summaries.of(r)).get(11);

        assertThat(memory.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(memory.targetText()).isEqualTo("0.90x .. 1.10x");
    }

    @Test
    void boundsAreInclusive() {
        GoalResult atLow = new GoalResult("g", OptionalDouble.of(1.9), "x", 1.9, Double.POSITIVE_INFINITY, "b");
        GoalResult below = new GoalResult("g", OptionalDouble.of(1.8999), "x", 1.9, Double.POSITIVE_INFINITY, "b");

        assertThat(atLow.verdict()).isEqualTo(Verdict.PASS);
        assertThat(below.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(atLow.measuredText()).isEqualTo("1.90x");
        assertThat(atLow.targetText()).isEqualTo(">= 1.90x");
        assertThat(new GoalResult("g", OptionalDouble.of(0.9123), "%", 0.9, Double.POSITIVE_INFINITY, "b").measuredText())
                .isEqualTo("91.2%");
        assertThat(new GoalResult("g", OptionalDouble.empty(), "x", 1, 2, "b").measuredText()).isEqualTo("-");
    }

    @Test
    void gatePassesWhenEveryStrategyBeatsSinglePath() {
        assertThat(Goals.multipathGate(Summaries.of(Fixtures.goodSet()))).isEmpty();
    }

    @Test
    void gateComparesTheClientsOwnTransferTimesWhenTheyAreThere() {
        // the same 1.5 s of JVM start on every run: on wall time both strategies are slower, over the transfer
        // alternate is faster
        List<RunRecord> runs = List.of(transfer("mpft-single", 5.0, 4.5), transfer("mpft-alternate", 6.1, 3.0),
                transfer("mpft-adaptive", 5.5, 4.6));
        assertThat(Goals.multipathGate(Summaries.of(runs))).isEmpty();
        assertThat(Goals.multipathRatios(Summaries.of(runs)))
                .isEqualTo("mpft-alternate 1.50x, mpft-adaptive 0.98x of mpft-single (over the transfer)");

        List<RunRecord> slower = List.of(transfer("mpft-single", 6.0, 4.5), transfer("mpft-alternate", 4.0, 4.5),
                transfer("mpft-adaptive", 4.0, 4.6));
        assertThat(Goals.multipathGate(Summaries.of(slower))).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("over the transfer").contains("no strategy beat mpft-single 23.3 MB/s")
                .contains("mpft-alternate 23.3 MB/s").contains("mpft-adaptive 22.8 MB/s");
    }

    private static RunRecord transfer(String tool, double wall, double transfer) {
        return new RunRecord("equal", tool, 1, 104_857_600, wall, 5, 2, 150 * 1024, 200, 200, RunRecord.STATUS_OK,
                "-", "-", transfer);
    }

    @Test
    void gatePassesWhenOneStrategyBeatsSinglePathAndFailsWhenNoneDoes() {
        List<RunRecord> oneFaster = List.of(ok("equal", "mpft-single", 1, 24, 200, 200),
                ok("equal", "mpft-alternate", 1, 30, 200, 200), ok("equal", "mpft-adaptive", 1, 24, 200, 200));
        List<RunRecord> noneFaster = List.of(ok("equal", "mpft-single", 1, 24, 200, 200),
                ok("equal", "mpft-alternate", 1, 23, 200, 200), failed("equal", "mpft-adaptive", 1, 200, 200));
        List<RunRecord> noSingle = List.of(ok("equal", "mpft-alternate", 1, 45, 200, 200));

        assertThat(Goals.multipathGate(Summaries.of(oneFaster))).isEmpty();
        assertThat(Goals.multipathGate(Summaries.of(noneFaster))).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("(equal-rate bed, multi-path faster than single path, wall time)")
                .contains("no strategy beat mpft-single 24.0 MB/s")
                .contains("mpft-alternate 23.0 MB/s").contains("mpft-adaptive has no verified run");
        assertThat(Goals.multipathGate(Summaries.of(noSingle))).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("no verified mpft single-path run");
    }
}
