package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.mpft.client.PathProgress;
import org.mpft.client.TransferProgress;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static TransferProgress progress(int paths) {
        List<PathProgress> list = paths == 2
                ? List.of(new PathProgress("files.example.org:7300", "primary", 61, 240_000_000, 26e6),
                        new PathProgress("m:7300", "secondary", 59, 236_000_000, 26.3e6))
                : List.of(new PathProgress("files.example.org:7300", "primary", 61, 240_000_000, 26e6));
        return new TransferProgress(500_000_000, 240_500_000, 125, 60, 52.3e6, 5, list);
    }

    @Test
    void showsWhatTheDownloadWaitsFor() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), "big.iso");
        TransferProgress p = progress(1);
        TransferProgress busy = new TransferProgress(0, 0, 0, 0, 0, -1, p.paths(), "server busy, retrying in 4s");
        assertThat(bar.render(busy).get(0)).endsWith("  server busy, retrying in 4s");
    }

    @Test
    void rendersTotalsAndOneLinePerPath() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), "big.iso");
        List<String> lines = bar.render(progress(2));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("big.iso  [##########..........]  48.1%  240.5 MB / 500.0 MB  52.3 MB/s  ETA 0:05");
        assertThat(lines.get(1)).isEqualTo("  primary    files.example.org:7300      61 chunks  26.0 MB/s");
        assertThat(lines.get(2)).isEqualTo("  secondary  m:7300                      59 chunks  26.3 MB/s");
    }

    @Test
    void redrawsInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "f");
        bar.onProgress(progress(2));
        bytes.reset();
        bar.onProgress(progress(2));
        String second = bytes.toString(StandardCharsets.UTF_8);
        assertThat(second).startsWith("\033[2A\r");
        bytes.reset();
        bar.onProgress(progress(1)); // a path went away: the stale line is cleared
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("\033[2A\r").endsWith("\n\r\033[K\033[1A");
        bar.finish();
    }

    @Test
    void units() {
        assertThat(ProgressBar.bytes(999)).isEqualTo("999 B");
        assertThat(ProgressBar.bytes(1500)).isEqualTo("1.5 kB");
        assertThat(ProgressBar.bytes(52_300_000)).isEqualTo("52.3 MB");
        assertThat(ProgressBar.eta(-1)).isEqualTo("--:--");
        assertThat(ProgressBar.eta(65)).isEqualTo("1:05");
        assertThat(ProgressBar.eta(3725)).isEqualTo("1:02:05");
    }
}
