package org.mpft.cli;

import org.mpft.client.PathProgress;
import org.mpft.client.ProgressListener;
import org.mpft.client.TransferProgress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A progress display on stderr, redrawn in place with ANSI escapes: one line for the whole download
 * (bytes, percent, speed, ETA) and one per path (role, server, chunks, speed).
 * <pre>
 * big.iso  [##########..........]  48.1%  240.5 MB / 500.0 MB  52.3 MB/s  ETA 0:05
 *   primary    files.example.org:7300   61 chunks   26.0 MB/s
 *   secondary  mirror.example.org:7300  59 chunks   26.3 MB/s
 * </pre>
 */
final class ProgressBar implements ProgressListener {

    private static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final String name;
    private int linesDrawn;
    private TransferProgress last;

    /**
     * @param out  where to draw (stderr)
     * @param name the file's name, shown first
     */
    ProgressBar(PrintStream out, String name) {
        this.out = Objects.requireNonNull(out, "out");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public synchronized void onProgress(TransferProgress progress) {
        last = progress;
        draw(progress);
    }

    /** Leaves the last drawing on screen and moves below it. */
    synchronized void finish() {
        if (linesDrawn > 0) {
            out.print('\n');
            out.flush();
            linesDrawn = 0;
        }
    }

    /** The last snapshot, or null. */
    synchronized TransferProgress last() {
        return last;
    }

    private void draw(TransferProgress progress) {
        List<String> lines = render(progress);
        out.print(ScreenLines.redraw(lines, linesDrawn));
        linesDrawn = lines.size();
        out.flush();
    }

    /** The lines of one drawing, without escapes. */
    List<String> render(TransferProgress p) {
        double fraction = Math.max(0, Math.min(1, p.fraction()));
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
        String head = String.format(Locale.ROOT, "%s  [%s] %5.1f%%  %s / %s  %s  ETA %s", name, bar, fraction * 100,
                bytes(p.receivedBytes()), bytes(p.totalBytes()), rate(p.bytesPerSecond()), eta(p.etaSeconds()));
        List<String> lines = new ArrayList<>();
        lines.add(p.status() == null ? head : head + "  " + p.status());
        int width = p.paths().stream().mapToInt(path -> path.server().length()).max().orElse(0);
        for (PathProgress path : p.paths()) {
            lines.add(String.format(Locale.ROOT, "  %-9s  %-" + Math.max(1, width) + "s  %6d chunks  %s",
                    path.role(), path.server(), path.chunks(), rate(path.bytesPerSecond())));
        }
        return lines;
    }

    /** Bytes in decimal units: {@code 512 B}, {@code 1.5 kB}, {@code 240.5 MB}, {@code 1.2 GB}. */
    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String rate(double bytesPerSecond) {
        return bytes((long) bytesPerSecond) + "/s";
    }

    /** {@code m:ss}, {@code h:mm:ss}, or {@code --:--} when unknown. */
    static String eta(long seconds) {
        if (seconds < 0) {
            return "--:--";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
