package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.mpft.bench.report.Fixtures.failed;
import static org.mpft.bench.report.Fixtures.ok;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummariesTest {

    @Test
    void mediansCountOnlyVerifiedRuns() {
        Summaries s = Summaries.of(List.of(ok("equal", "sftp", 1, 20, 200, 200), failed("equal", "sftp", 2, 200, 200),
                ok("equal", "sftp", 3, 24, 200, 200)));

        ToolSummary sftp = s.get("equal", "sftp").orElseThrow();
        assertThat(sftp.runs()).isEqualTo(3);
        assertThat(sftp.okRuns()).isEqualTo(2);
        assertThat(sftp.megabytesPerSec().getAsDouble()).isCloseTo(22, offset(1e-9));
        assertThat(sftp.capacityFraction().getAsDouble()).isCloseTo(22 / 50.0, offset(1e-9));
        assertThat(sftp.clientRssMib()).hasValue(200);
    }

    @Test
    void allFailedRunsGiveNoMedians() {
        Summaries s = Summaries.of(List.of(failed("equal", "mpft-adaptive", 1, 200, 200)));

        ToolSummary t = s.get("equal", "mpft-adaptive").orElseThrow();
        assertThat(t.megabytesPerSec()).isEmpty();
        assertThat(t.capacityFraction()).isEmpty();
        assertThat(s.speed("equal", "mpft-adaptive")).isEmpty();
        assertThat(s.speed("equal", "not-run")).isEmpty();
    }

    @Test
    void ordersScenariosAndToolsTheHarnessWayUnknownLast() {
        Summaries s = Summaries.of(List.of(ok("loopback", "zsync", 1, 1, 0, 0), ok("loopback", "sftp", 1, 1, 0, 0),
                ok("custom", "sftp", 1, 1, 0, 0), ok("equal", "sftp", 1, 1, 200, 200),
                ok("equal", "mpft-single", 1, 1, 200, 200)));

        assertThat(s.scenarios()).containsExactly("equal", "loopback", "custom");
        assertThat(s.scenario("loopback")).extracting(ToolSummary::tool).containsExactly("sftp", "zsync");
        assertThat(s.scenario("equal")).extracting(ToolSummary::tool).containsExactly("mpft-single", "sftp");
    }

    @Test
    void bestPeerIsTheFastestNonMpftTool() {
        Summaries s = Summaries.of(List.of(ok("equal", "mpft-single", 1, 90, 200, 200), ok("equal", "sftp", 1, 20, 200, 200),
                ok("equal", "rclone-4", 1, 23, 200, 200), failed("equal", "scp", 1, 200, 200)));

        assertThat(s.bestPeer("equal")).get().extracting(ToolSummary::tool).isEqualTo("rclone-4");
        assertThat(s.bestPeer("loopback")).isEmpty();
    }

    @Test
    void unshapedScenarioHasNoCapacityFraction() {
        Summaries s = Summaries.of(List.of(ok("loopback", "sftp", 1, 170, 0, 0)));

        assertThat(s.get("loopback", "sftp").orElseThrow().capacityFraction()).isEmpty();
    }
}
