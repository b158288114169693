package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.client.BatchFile;
import org.mpft.client.BatchProgress;
import org.mpft.client.FileOutcome;
import org.mpft.client.PathProgress;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class BatchProgressViewTest {

    private static final BatchProgress HALF = new BatchProgress(120, 2000, 1, 3, 51_000_000, 102_000_000, 25_100_000,
            4, List.of(new PathProgress("127.0.0.1:7300", "primary", 130, 51_000_000, 25_100_000)), List.of("a"));

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void theBatchLineAndOneLinePerPath() {
        assertThat(BatchProgressView.render(HALF)).containsExactly(
                "120/2000 files  [##########..........]  50.0%  51.0 MB / 102.0 MB  25.1 MB/s  ETA 0:04  1 failed",
                "  primary    127.0.0.1:7300     130 chunks  25.1 MB/s");
        assertThat(BatchProgressView.plainLine(HALF)).isEqualTo(
                "mpft: 120/2000 files  50.0%  51.0 MB / 102.0 MB  25.1 MB/s  ETA 0:04  1 path  1 failed");
    }

    @Test
    void plainLinesComeAtMostEveryFiveSecondsAndFailuresAtOnce() {
        MutableClock clock = new MutableClock();
        BatchProgressView view = new BatchProgressView(stream(err), stream(out), false, true, true, clock);
        view.onProgress(HALF);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        clock.millis += 5_000;
        view.onProgress(HALF);
        view.onProgress(HALF);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
        view.onFileDone(new FileOutcome(new BatchFile("x\u001b.bin", Path.of("/o/x.bin")), null,
                new MpftException(ErrorCode.FILE_NOT_FOUND, "no such file: x"), false));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mpft: x\\u001b.bin: no such file: x\n")
                .doesNotContain("\u001b");
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"path\":\"x\\u001b.bin\"");
    }

    @Test
    void filesAStoppedBatchNeverStartedAreReportedAtTheEnd() {
        BatchProgressView view = new BatchProgressView(stream(err), stream(out), false, true, true, new MutableClock());
        BatchFile done = new BatchFile("a.bin", Path.of("/o/a.bin"));
        BatchFile never = new BatchFile("b.bin", Path.of("/o/b.bin"));
        FileOutcome failed = new FileOutcome(done, null, new MpftException(ErrorCode.FILE_NOT_FOUND, "gone"), false);
        view.onFileDone(failed);
        view.reportTheRest(new org.mpft.client.BatchResult(List.of(failed, new FileOutcome(never, null,
                new MpftException(ErrorCode.CANCELLED, "b.bin: not fetched, the batch was stopped"), false)), 0, 1));
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2).last().asString()
                .startsWith("{\"path\":\"b.bin\"").contains("\"status\":\"cancelled\"");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mpft: 1 file not fetched: the batch was stopped");
    }

    @Test
    void quietShowsNoProgress() {
        BatchProgressView view = new BatchProgressView(stream(err), stream(out), true, false, false, new MutableClock());
        view.onProgress(HALF);
        view.finish();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    /** A fake clock the test moves. */
    private static final class MutableClock extends Clock {
        long millis = 1_000_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }
}
