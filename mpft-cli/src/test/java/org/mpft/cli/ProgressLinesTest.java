package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.client.PathProgress;
import org.mpft.client.TransferProgress;

class ProgressLinesTest {

    /** A clock that moves only when told. */
    private static final class FakeClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final FakeClock clock = new FakeClock();
    private final ProgressLines lines = new ProgressLines(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            "big.iso", clock);

    private static TransferProgress progress(long received, String status) {
        return new TransferProgress(500_000_000, received, 125, (int) (received / 4_000_000), 52_300_000, 5,
                List.of(new PathProgress("a:7300", "primary", 61, 1, 26e6),
                        new PathProgress("b:7300", "secondary", 59, 1, 26e6)), status);
    }

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aNewStatusIsWrittenAtOnceAndOnlyOnce() {
        lines.onProgress(progress(0, "server busy, retrying in 4s"));
        clock.advance(Duration.ofSeconds(1));
        lines.onProgress(progress(0, "server busy, retrying in 4s"));
        lines.onProgress(progress(0, null));
        lines.onProgress(progress(0, "server busy, retrying in 7s"));

        assertThat(written().lines()).hasSize(2);
        assertThat(written().lines().toList().get(0)).endsWith("2 paths  server busy, retrying in 4s");
        assertThat(written().lines().toList().get(1)).endsWith("2 paths  server busy, retrying in 7s");
    }

    @Test
    void oneLineEveryFiveSecondsAtMost() {
        lines.onProgress(progress(1_000_000, null)); // at the start: nothing yet
        clock.advance(Duration.ofMillis(4_999));
        lines.onProgress(progress(2_000_000, null));
        assertThat(written()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        lines.onProgress(progress(240_500_000, null));
        assertThat(written()).isEqualTo("mpft: big.iso  48.1%  240.5 MB / 500.0 MB  52.3 MB/s  ETA 0:05  2 paths"
                + System.lineSeparator());
        clock.advance(Duration.ofSeconds(3));
        lines.onProgress(progress(300_000_000, null));
        assertThat(written().lines()).hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        lines.onProgress(progress(400_000_000, "server busy, retrying in 2s"));
        assertThat(written().lines()).hasSize(2).last().asString().startsWith("mpft: big.iso  80.0%")
                .endsWith("2 paths  server busy, retrying in 2s");
    }

    @Test
    void noEscapesNoCarriageReturns() {
        clock.advance(Duration.ofSeconds(5));
        lines.onProgress(progress(1, "odd\r\033[2Kstatus\n"));
        assertThat(written()).doesNotContain("\r").doesNotContain("\033");
        assertThat(written().lines()).hasSize(1);
    }
}
