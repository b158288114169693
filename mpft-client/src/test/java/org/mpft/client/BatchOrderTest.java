package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchOrderTest {

    private static List<BatchFile> files(long... sizes) {
        List<BatchFile> files = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            files.add(new BatchFile("f" + i, Path.of("out/f" + i), sizes[i], 0, -1));
        }
        return files;
    }

    @Test
    void biggestFirstIsBySizeAlone() {
        assertThat(BatchOrder.BIGGEST.of(files(10, 300_000, 5, 2_000_000, 1_000)))
                .containsExactly(3, 1, 4, 0, 2);
    }

    @Test
    void filesOfOneChunkAreDealtInAmongTheBiggerOnesByBytes() {
        // bigger: 4 MB, 2 MB, 1 MB, 1 MB (8 MB); one chunk: eight of 200 kB (1.6 MB, a fifth of the bigger bytes)
        long k = 1000;
        List<BatchFile> files = files(200 * k, 200 * k, 4000 * k, 200 * k, 200 * k, 2000 * k, 200 * k, 200 * k,
                1000 * k, 200 * k, 1000 * k, 200 * k);
        List<Integer> order = BatchOrder.MIXED.of(files);

        assertThat(order).hasSize(files.size()).doesNotHaveDuplicates();
        assertThat(order.get(0)).as("the biggest file first").isEqualTo(2);
        assertThat(order.stream().filter(i -> files.get(i).size() > BatchOrder.ONE_CHUNK).toList())
                .as("the bigger files biggest first").containsExactly(2, 5, 8, 10);
        // after the 4 MB file (half the bigger bytes), half the small bytes come before the next bigger file
        assertThat(order.subList(1, 5)).allMatch(i -> files.get(i).size() == 200 * k);
        assertThat(order.get(5)).isEqualTo(5);
        assertThat(order.indexOf(10)).as("the last bigger file comes at the end too, not before a run of small ones")
                .isGreaterThanOrEqualTo(order.size() - 2);
    }

    @Test
    void aBatchOfOneKindKeepsItsBiggestFirstOrder() {
        assertThat(BatchOrder.MIXED.of(files(1, 3, 2, 0))).containsExactly(1, 2, 0, 3);
        assertThat(BatchOrder.MIXED.of(files(3_000_000, 1_000_000, 2_000_000))).containsExactly(0, 2, 1);
        assertThat(BatchOrder.MIXED.of(files())).isEmpty();
    }

    @Test
    void theSystemPropertyChoosesAndMixedIsTheDefault() {
        String before = System.getProperty("mpft.batch-order");
        try {
            System.clearProperty("mpft.batch-order");
            assertThat(BatchOrder.fromSystemProperty()).isEqualTo(BatchOrder.MIXED);
            System.setProperty("mpft.batch-order", "biggest");
            assertThat(BatchOrder.fromSystemProperty()).isEqualTo(BatchOrder.BIGGEST);
        } finally {
            if (before == null) {
                System.clearProperty("mpft.batch-order");
            } else {
                System.setProperty("mpft.batch-order", before);
            }
        }
    }
}
