package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarChartTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void drawsOnePanelPerThroughputScenario(@TempDir Path dir) throws Exception {
        Summaries s = Summaries.of(Fixtures.goodSet());
        Path png = dir.resolve("chart.png");

        BarChart.writePng(s, "title", png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(BarChart.chartScenarios(s)).containsExactly("equal", "unequal", "loopback", "capped-equal",
                "capped-unequal");
        assertThat(image.getWidth()).isEqualTo(5 * 330 + 20);
        assertThat(Files.size(png)).isGreaterThan(1000);
        // the first bar of the first panel (mpft-single, the first palette colour) is drawn
        assertThat(countPixels(image, 0x1f77b4)).isGreaterThan(100);
    }

    @Test
    void aToolKeepsItsColourWhateverElseIsDrawn() {
        Summaries onlySftp = Summaries.of(java.util.List.of(Fixtures.ok("equal", "sftp", 1, 20, 200, 200)));

        BufferedImage image = BarChart.render(onlySftp, "t");

        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(countPixels(image, 0xd62728)).as("sftp's colour, fourth in COLOUR_ORDER").isGreaterThan(100);
        assertThat(countPixels(image, 0x1f77b4)).as("mpft-single's colour").isZero();
    }

    @Test
    void niceCeiling() {
        assertThat(BarChart.niceCeiling(43)).isEqualTo(50);
        assertThat(BarChart.niceCeiling(51)).isEqualTo(100);
        assertThat(BarChart.niceCeiling(240)).isEqualTo(250);
        assertThat(BarChart.niceCeiling(0)).isEqualTo(1);
    }

    private static int countPixels(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
