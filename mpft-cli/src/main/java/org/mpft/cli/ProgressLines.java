package org.mpft.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.mpft.client.ProgressListener;
import org.mpft.client.TransferProgress;

/**
 * Progress for a standard error that is not a terminal (a log file, CI output): one plain line every
 * {@link #INTERVAL} at most, without ANSI escapes or carriage returns, so the log reads top to bottom.
 * <pre>
 * mpft: big.iso  48.1%  240.5 MB / 500.0 MB  52.3 MB/s  ETA 0:05  2 paths
 * </pre>
 * The first line comes one interval after the start: a download shorter than that leaves no line at all. A new
 * status (what the download waits for, e.g. "server busy, retrying in 4s") is written at once, whatever the
 * interval: the wait it names may be over before the next line is due.
 */
final class ProgressLines implements ProgressListener {

    /** The least time between two lines: 5 s. */
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final PrintStream out;
    private final String name;
    private final Clock clock;
    private long lastLineMillis;
    /** The status of the last report, or null. */
    private String lastStatus;

    /**
     * @param out   where to write (stderr)
     * @param name  the file's name, shown first
     * @param clock the time, read at start and at each progress report
     */
    ProgressLines(PrintStream out, String name, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastLineMillis = clock.millis();
    }

    @Override
    public synchronized void onProgress(TransferProgress progress) {
        long now = clock.millis();
        String status = progress.status();
        boolean newStatus = status != null && !status.equals(lastStatus);
        lastStatus = status;
        if (!newStatus && now - lastLineMillis < INTERVAL.toMillis()) {
            return;
        }
        lastLineMillis = now;
        out.println(line(progress));
        out.flush();
    }

    /** One report as a line without a line break. */
    String line(TransferProgress p) {
        double fraction = Math.max(0, Math.min(1, p.fraction()));
        StringBuilder line = new StringBuilder("mpft: ").append(name)
                .append(String.format(Locale.ROOT, "  %.1f%%  %s / %s  %s  ETA %s", fraction * 100,
                        ProgressBar.bytes(p.receivedBytes()), ProgressBar.bytes(p.totalBytes()),
                        ProgressBar.rate(p.bytesPerSecond()), ProgressBar.eta(p.etaSeconds())));
        int paths = p.paths().size();
        line.append("  ").append(paths).append(paths == 1 ? " path" : " paths");
        if (p.status() != null) {
            line.append("  ").append(p.status());
        }
        return line.toString().replace('\r', ' ').replace('\n', ' ').replace('\033', '?');
    }
}
