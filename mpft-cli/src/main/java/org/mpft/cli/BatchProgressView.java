package org.mpft.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.mpft.client.BatchFile;
import org.mpft.client.BatchListener;
import org.mpft.client.BatchProgress;
import org.mpft.client.BatchResult;
import org.mpft.client.FileOutcome;
import org.mpft.client.PathProgress;

/**
 * What a many-file {@code mpft get} shows while it runs: on a terminal, one batch line (files done / total,
 * bytes, speed, ETA) and one line per path, redrawn in place as {@link ProgressBar} draws a file's; elsewhere
 * one plain batch line every {@link ProgressLines#INTERVAL}. A failed file is said at once on its own line
 * ({@code mpft: PATH: why}); with {@code --json} each file's object goes to standard output as it ends.
 * <pre>
 * 120/2000 files  [##..................]  10.2%  10.4 MB / 102.0 MB  25.1 MB/s  ETA 0:04
 *   primary    127.0.0.1:7300   130 chunks  25.1 MB/s
 * </pre>
 */
final class BatchProgressView implements BatchListener {

    private static final int BAR_WIDTH = 20;

    private final PrintStream err;
    private final PrintStream out;
    private final boolean terminal;
    private final boolean showProgress;
    private final boolean json;
    private final Clock clock;
    private long lastLineMillis;
    private int linesDrawn;
    private final Set<BatchFile> reported = new HashSet<>();

    /**
     * @param err          standard error: progress and failures
     * @param out          standard output: the {@code --json} objects
     * @param terminal     true to redraw in place, false for a plain line every few seconds
     * @param showProgress false with {@code -q}: failures only
     * @param json         true to print each file's JSON object as it ends
     * @param clock        the time, for the plain lines' interval
     */
    BatchProgressView(PrintStream err, PrintStream out, boolean terminal, boolean showProgress, boolean json,
                      Clock clock) {
        this.err = Objects.requireNonNull(err, "err");
        this.out = Objects.requireNonNull(out, "out");
        this.terminal = terminal;
        this.showProgress = showProgress;
        this.json = json;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastLineMillis = clock.millis();
    }

    @Override
    public synchronized void onProgress(BatchProgress progress) {
        if (!showProgress) {
            return;
        }
        if (terminal) {
            draw(render(progress));
            return;
        }
        long now = clock.millis();
        if (now - lastLineMillis >= ProgressLines.INTERVAL.toMillis()) {
            lastLineMillis = now;
            err.println(plainLine(progress));
            err.flush();
        }
    }

    @Override
    public synchronized void onFileDone(FileOutcome outcome) {
        reported.add(outcome.file());
        if (outcome.error() != null) {
            say("mpft: " + LsCommand.escape(outcome.file().remotePath()) + ": " + outcome.error().getMessage());
        }
        if (json) {
            out.println(BatchJson.file(outcome));
            out.flush();
        }
    }

    /**
     * Reports the files of the result that ended without a call of {@link #onFileDone} (those a stopped batch
     * never started): their {@code --json} objects, and one line on stderr saying how many.
     */
    synchronized void reportTheRest(BatchResult result) {
        int notStarted = 0;
        for (FileOutcome outcome : result.files()) {
            if (reported.add(outcome.file())) {
                notStarted++;
                if (json) {
                    out.println(BatchJson.file(outcome));
                }
            }
        }
        out.flush();
        if (notStarted > 0) {
            say("mpft: " + notStarted + (notStarted == 1 ? " file" : " files") + " not fetched: the batch was stopped");
        }
    }

    /** A line on stderr below the drawing, which is redrawn at the next progress. */
    synchronized void say(String line) {
        clear();
        err.println(line.replace('\r', ' ').replace('\033', '?'));
        err.flush();
    }

    /** Leaves the last drawing on screen and moves below it. */
    synchronized void finish() {
        if (linesDrawn > 0) {
            err.print('\n');
            err.flush();
            linesDrawn = 0;
        }
    }

    /** The lines of one drawing, without escapes. */
    static List<String> render(BatchProgress p) {
        double fraction = Math.max(0, Math.min(1, p.fraction()));
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s  [%s] %5.1f%%  %s / %s  %s  ETA %s%s", files(p),
                "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled), fraction * 100, ProgressBar.bytes(p.bytesDone()),
                ProgressBar.bytes(p.bytesTotal()), ProgressBar.rate(p.bytesPerSecond()), ProgressBar.eta(p.etaSeconds()),
                p.filesFailed() > 0 ? "  " + p.filesFailed() + " failed" : ""));
        int width = p.paths().stream().mapToInt(path -> path.server().length()).max().orElse(0);
        for (PathProgress path : p.paths()) {
            lines.add(String.format(Locale.ROOT, "  %-9s  %-" + Math.max(1, width) + "s  %6d chunks  %s",
                    path.role(), path.server(), path.chunks(), ProgressBar.rate(path.bytesPerSecond())));
        }
        return lines;
    }

    /** One plain line of a snapshot, without a line break. */
    static String plainLine(BatchProgress p) {
        double fraction = Math.max(0, Math.min(1, p.fraction()));
        int paths = p.paths().size();
        return String.format(Locale.ROOT, "mpft: %s  %.1f%%  %s / %s  %s  ETA %s  %d %s%s", files(p), fraction * 100,
                ProgressBar.bytes(p.bytesDone()), ProgressBar.bytes(p.bytesTotal()), ProgressBar.rate(p.bytesPerSecond()),
                ProgressBar.eta(p.etaSeconds()), paths, paths == 1 ? "path" : "paths",
                p.filesFailed() > 0 ? "  " + p.filesFailed() + " failed" : "");
    }

    private static String files(BatchProgress p) {
        return p.filesDone() + "/" + p.filesTotal() + " files";
    }

    private void draw(List<String> lines) {
        err.print(ScreenLines.redraw(lines, linesDrawn));
        linesDrawn = lines.size();
        err.flush();
    }

    /** Wipes the drawing so a message can take its place. */
    private void clear() {
        if (!terminal || linesDrawn == 0) {
            return;
        }
        StringBuilder screen = new StringBuilder();
        if (linesDrawn > 1) {
            screen.append("\033[").append(linesDrawn - 1).append('A');
        }
        screen.append("\r\033[J");
        err.print(screen);
        linesDrawn = 0;
    }
}
