package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ProgressTracker tracker = new ProgressTracker(nanos::get);

    @Test
    void countsResumedAndReceivedChunksPerPath() {
        tracker.addPath("p:1", "primary");
        tracker.planned(10_000, 10, 2_000, 2);
        tracker.received("p:1", 5, 1_000);
        tracker.received("p:1", 3, 1_000);

        TransferProgress p = tracker.snapshot();
        assertThat(p.totalBytes()).isEqualTo(10_000);
        assertThat(p.receivedBytes()).isEqualTo(4_000);
        assertThat(p.receivedChunks()).isEqualTo(4);
        assertThat(p.paths()).singleElement().satisfies(path -> {
            assertThat(path.role()).isEqualTo("primary");
            assertThat(path.chunks()).isEqualTo(2);
            assertThat(path.bytes()).isEqualTo(2_000);
        });
        assertThat(tracker.summaries()).singleElement().satisfies(s -> assertThat(s.chunkIndices()).containsExactly(3, 5));
    }

    @Test
    void rateFollowsTheRecentWindowAndGivesAnEta() {
        tracker.addPath("p:1", "primary");
        tracker.planned(100_000_000, 100, 0, 0);
        for (int i = 0; i < 10; i++) {
            nanos.addAndGet(100_000_000L); // 100 ms per MB: 10 MB/s
            tracker.received("p:1", i, 1_000_000);
        }
        TransferProgress p = tracker.snapshot();
        assertThat(p.bytesPerSecond()).isCloseTo(10e6, within(1e5));
        assertThat(p.etaSeconds()).isEqualTo(9);

        // 2 s later at 1 MB/s: the window forgets the fast start
        for (int i = 10; i < 40; i++) {
            nanos.addAndGet(1_000_000_000L);
            tracker.received("p:1", i, 1_000_000);
        }
        assertThat(tracker.snapshot().bytesPerSecond()).isCloseTo(1e6, within(1e5));
    }

    @Test
    void noDataMeansNoRateAndUnknownEta() {
        tracker.addPath("p:1", "primary");
        tracker.planned(1_000, 1, 0, 0);
        nanos.addAndGet(5_000_000_000L);
        TransferProgress p = tracker.snapshot();
        assertThat(p.bytesPerSecond()).isZero();
        assertThat(p.etaSeconds()).isEqualTo(-1);
    }

    @Test
    void aLostPathKeepsTheFirstReason() {
        tracker.addPath("h:7300", "primary");
        tracker.addPath("h:7301", "secondary");
        tracker.received("h:7300", 0, 4096);
        tracker.lost("h:7301", "h:7301: no packet for 30 s");
        tracker.lost("h:7301", "a later reason");
        assertThat(tracker.summaries()).extracting(PathSummary::lost).containsExactly(null, "h:7301: no packet for 30 s");
        assertThat(tracker.summaries().get(1).chunks()).isZero();
    }
}
