package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.client.PathSummary;
import org.mpft.protocol.Strategy;

/**
 * Two unequal paths on loopback, made unequal without root by each instance's send-rate cap: the primary
 * sends at most 20 MiB/s, the secondary 60 MiB/s. The same file is downloaded with {@code alternate} and
 * with {@code adaptive}: each download is complete and byte-identical, both paths carry chunks, and
 * {@code alternate} splits the bytes in halves. How much faster {@code adaptive} is on such paths is a
 * speed, so it is measured and checked by the benchmark harness ({@code bench/run.sh}, scenario
 * {@code capped-unequal}: the goals in {@code Goals}), not here; this test prints the times it saw.
 */
@Timeout(400)
class MultiPathSpeedIT {

    private static final int SIZE = 40 * 1000 * 1000;

    @TempDir
    Path work;

    @Test
    void bothStrategiesDownloadCompletelyOverUnequalCappedPaths() throws Exception {
        try (MultiPathHosts hosts = new MultiPathHosts(work); FileTransferClient client = new FileTransferClient()) {
            Path secret = hosts.secret("cluster.secret", "s".repeat(40));
            MultiPathHosts.Host secondary = hosts.secondary("fast", secret, null, Map.of("mpft.max-send-rate", "60m"));
            MultiPathHosts.Host primary = hosts.primary("slow", secret, List.of(secondary),
                    Map.of("mpft.max-send-rate", "20m"));
            MultiPathHosts.awaitLinks(primary, 1);
            Path source = MultiPathHosts.randomFile(hosts.home(), "data/big.bin", SIZE, 11);
            String sha = MultiPathHosts.sha256(source);
            Files.createDirectories(work.resolve("out"));

            DownloadResult alternate = download(client, hosts, primary, Strategy.ALTERNATE, "alternate", sha);
            DownloadResult adaptive = download(client, hosts, primary, Strategy.ADAPTIVE, "adaptive", sha);

            System.out.printf("unequal paths 20/60 MiB/s (not asserted: bench/ measures it): alternate %d ms %s, "
                    + "adaptive %d ms %s%n", alternate.elapsedMs(), split(alternate), adaptive.elapsedMs(),
                    split(adaptive));
            assertThat(alternate.paths().get(1).bytes()).isBetween(SIZE / 2L - (1 << 20), SIZE / 2L + (1 << 20));
        }
    }

    private static List<Long> split(DownloadResult result) {
        return result.paths().stream().map(PathSummary::bytes).toList();
    }

    private static DownloadResult download(FileTransferClient client, MultiPathHosts hosts, MultiPathHosts.Host primary,
                                           Strategy strategy, String name, String sha) throws Exception {
        Path output = hosts.home().getParent().getParent().resolve("out").resolve(name + ".bin");
        DownloadResult result = client.download(hosts.request(primary, "data/big.bin", output, strategy), p -> { });
        assertThat(MultiPathHosts.sha256(output)).as(name).isEqualTo(sha);
        assertThat(result.bytes()).as(name).isEqualTo(SIZE);
        assertThat(result.paths()).as(name).hasSize(2)
                .allSatisfy(path -> assertThat(path.chunks()).as(name + ": chunks of " + path).isPositive());
        Files.delete(output);
        return result;
    }
}
