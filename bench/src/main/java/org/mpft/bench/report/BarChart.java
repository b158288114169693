package org.mpft.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws the throughput chart with Java2D (headless, no install needed): one panel per scenario, each with
 * its own scale, a bar per tool at its median MB/s, and a dashed line at the scenario's summed path
 * capacity when the paths are shaped. A tool has the same colour in every panel and every chart; the
 * legend is below.
 */
public final class BarChart {

    private static final int PANEL_WIDTH = 330;
    private static final int PANEL_HEIGHT = 380;
    private static final int MARGIN_LEFT = 52;
    private static final int MARGIN_TOP = 44;
    private static final int MARGIN_BOTTOM = 30;
    private static final int LEGEND_HEIGHT = 70;
    private static final int MIN_WIDTH = 640;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x17becf), new Color(0xd62728),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f),
        new Color(0xe377c2), new Color(0xbcbd22),
    };

    /**
     * The tools in the order of their colours: a tool keeps its colour in every chart, whatever else is drawn
     * (tools added later are appended, so older charts keep theirs).
     */
    static final List<String> COLOUR_ORDER = List.of("mpft-single", "mpft-alternate", "mpft-adaptive", "sftp",
            "sftp-gcm", "scp", "lftp-pget4", "rclone-4", "mpft-default", "mpft-dead-secondary", "mpft-primary-only",
            "mpft-link-down", "scp-r", "sftp-r", "lftp-mirror4", "rclone-copy4");

    /** Scenarios measured by their wall time (a 1 kB file, a dead secondary), not by throughput. */
    private static final List<String> WALL_TIME_SCENARIOS = List.of("small", "dead-secondary");

    private BarChart() {
    }

    /** The scenarios a chart shows: those with a throughput story (not the memory, 1 kB or dead-secondary runs). */
    public static List<String> chartScenarios(Summaries summaries) {
        return summaries.scenarios().stream().filter(s -> !s.startsWith("memory") && !WALL_TIME_SCENARIOS.contains(s))
                .toList();
    }

    /** Draws the chart and writes it as a PNG. */
    public static void writePng(Summaries summaries, String title, Path file) throws IOException {
        if (!ImageIO.write(render(summaries, title), "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    /** Draws the chart. */
    public static BufferedImage render(Summaries summaries, String title) {
        List<String> scenarios = chartScenarios(summaries);
        List<String> tools = summaries.all().stream().filter(t -> scenarios.contains(t.scenario()))
                .map(ToolSummary::tool).distinct()
                .sorted(java.util.Comparator.comparingInt(t -> {
                    int i = Summaries.TOOL_ORDER.indexOf(t);
                    return i >= 0 ? i : Integer.MAX_VALUE;
                }))
                .toList();
        int width = Math.max(MIN_WIDTH, Math.max(1, scenarios.size()) * PANEL_WIDTH + 20);
        int height = PANEL_HEIGHT + LEGEND_HEIGHT + 30;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 12, 20);
            for (int i = 0; i < scenarios.size(); i++) {
                panel(g, summaries.scenario(scenarios.get(i)), tools, 10 + i * PANEL_WIDTH, 30);
            }
            legend(g, tools, 12, 30 + PANEL_HEIGHT + 8, width - 24);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void panel(Graphics2D g, List<ToolSummary> rows, List<String> tools, int x0, int y0) {
        ToolSummary first = rows.get(0);
        double capacity = first.capacityMbit() / 8.0;
        double top = rows.stream().filter(r -> r.megabytesPerSec().isPresent())
                .mapToDouble(r -> r.megabytesPerSec().getAsDouble()).max().orElse(1);
        top = niceCeiling(Math.max(top, capacity) * 1.08);
        int plotX = x0 + MARGIN_LEFT;
        int plotW = PANEL_WIDTH - MARGIN_LEFT - 16;
        int plotY = y0 + MARGIN_TOP;
        int plotH = PANEL_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(first.scenario(), plotX, y0 + 16);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(first.capacityMbit() == 0 ? "unshaped loopback"
                : first.rate1Mbit() + " + " + first.rate2Mbit() + " Mbit/s", plotX, y0 + 31);

        // grid and y axis
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 5; i++) {
            double v = top * i / 5;
            int y = plotY + plotH - (int) Math.round(plotH * i / 5.0);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(plotX, y, plotX + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = Markdown.number(v, top / 5 == Math.rint(top / 5) ? 0 : 1);
            g.drawString(label, plotX - 6 - fm.stringWidth(label), y + 4);
        }
        g.drawLine(plotX, plotY, plotX, plotY + plotH);
        g.drawLine(plotX, plotY + plotH, plotX + plotW, plotY + plotH);
        drawVertical(g, "MB/s (median)", x0 + 12, plotY + plotH / 2);

        // bars
        int slot = plotW / Math.max(1, rows.size());
        int barW = Math.max(6, slot * 7 / 10);
        for (int i = 0; i < rows.size(); i++) {
            ToolSummary t = rows.get(i);
            int bx = plotX + i * slot + (slot - barW) / 2;
            g.setColor(colour(tools, t.tool()));
            if (t.megabytesPerSec().isPresent()) {
                double v = t.megabytesPerSec().getAsDouble();
                int h = (int) Math.round(plotH * v / top);
                g.fillRect(bx, plotY + plotH - h, barW, h);
                g.setColor(Color.BLACK);
                String label = Markdown.number(v, v < 100 ? 1 : 0);
                g.drawString(label, bx + (barW - fm.stringWidth(label)) / 2, plotY + plotH - h - 3);
            } else {
                g.setColor(Color.GRAY);
                g.drawString("n/a", bx + (barW - fm.stringWidth("n/a")) / 2, plotY + plotH - 3);
            }
        }

        // capacity line
        if (capacity > 0) {
            int y = plotY + plotH - (int) Math.round(plotH * capacity / top);
            g.setColor(new Color(0xb00000));
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(plotX, y, plotX + plotW, y);
            g.setStroke(new BasicStroke());
            g.drawString("capacity " + Markdown.number(capacity, 1), plotX + plotW - 90, y - 4);
        }
    }

    private static void legend(Graphics2D g, List<String> tools, int x0, int y0, int width) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int x = x0;
        int y = y0 + 14;
        for (int i = 0; i < tools.size(); i++) {
            int w = 18 + fm.stringWidth(tools.get(i)) + 18;
            if (x + w > x0 + width) {
                x = x0;
                y += 20;
            }
            g.setColor(colour(tools, tools.get(i)));
            g.fillRect(x, y - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(tools.get(i), x + 17, y);
            x += w;
        }
    }

    /** A tool's colour: by its place in {@link #COLOUR_ORDER}, so it is the same in every chart. */
    private static Color colour(List<String> tools, String tool) {
        int known = COLOUR_ORDER.indexOf(tool);
        int i = known >= 0 ? known : COLOUR_ORDER.size() + tools.indexOf(tool);
        return PALETTE[i % PALETTE.length];
    }

    private static void drawVertical(Graphics2D g, String text, int x, int yCenter) {
        Graphics2D r = (Graphics2D) g.create();
        try {
            r.setColor(Color.DARK_GRAY);
            r.rotate(-Math.PI / 2, x, yCenter);
            r.drawString(text, x - r.getFontMetrics().stringWidth(text) / 2, yCenter);
        } finally {
            r.dispose();
        }
    }

    /** The smallest 1, 2 or 5 times a power of ten that is at least {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
