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
 * sends at most 20 MiB/s, the secondary 60 MiB/s. The same 300 MB file is downloaded with
 * {@code alternate} (half the chunks wait for the slow path) and with {@code adaptive} (the fast path
 * serves more); only ratios measured in this one test are asserted. 300 MB, not 100: adaptive needs a few
 * chunks to learn the paths' speeds and ends with the endgame, fixed costs that at 100 MB (under 2 s) held
 * the ratio at 1.42 while 300 MB measured 1.75-1.81 on a quiet machine.
 */
@Timeout(400)
class MultiPathSpeedIT {

    private static final int SIZE = 300 * 1000 * 1000;

    @TempDir
    Path work;

    @Test
    void adaptiveBeatsAlternateOnUnequalPaths() throws Exception {
        try (MultiPathHosts hosts = new MultiPathHosts(work); FileTransferClient client = new FileTransferClient()) {
            Path secret = hosts.secret("cluster.secret", "s".repeat(40));
            MultiPathHosts.Host secondary = hosts.secondary("fast", secret, null, Map.of("mpft.max-send-rate", "60m"));
            MultiPathHosts.Host primary = hosts.primary("slow", secret, List.of(secondary),
                    Map.of("mpft.max-send-rate", "20m"));
            MultiPathHosts.awaitLinks(primary, 1);
            Path source = MultiPathHosts.randomFile(hosts.home(), "data/big.bin", SIZE, 11);
            String sha = MultiPathHosts.sha256(source);
            Files.createDirectories(work.resolve("out"));

            // warm-up: JIT on all three JVMs, and the primary's digests of this file in its cache
            download(client, hosts, primary, Strategy.ADAPTIVE, "warm", sha);
            DownloadResult alternate = download(client, hosts, primary, Strategy.ALTERNATE, "alternate", sha);
            DownloadResult adaptive = download(client, hosts, primary, Strategy.ADAPTIVE, "adaptive", sha);

            double speedup = (double) alternate.elapsedMs() / adaptive.elapsedMs();
            long secondaryBytes = adaptive.paths().get(1).bytes();
            double share = (double) secondaryBytes / SIZE;
            System.out.printf("unequal paths 20/60 MiB/s: alternate %d ms, adaptive %d ms, speedup %.2f, "
                    + "secondary share %.2f (alternate split %s)%n", alternate.elapsedMs(), adaptive.elapsedMs(),
                    speedup, share, alternate.paths().stream().map(PathSummary::bytes).toList());
            assertThat(alternate.paths().get(1).bytes()).isBetween(SIZE / 2L - (1 << 20), SIZE / 2L + (1 << 20));
            assertThat(speedup).as("adaptive speedup over alternate").isGreaterThanOrEqualTo(1.6);
            assertThat(share).as("share of bytes from the fast secondary").isGreaterThanOrEqualTo(0.65);
        }
    }

    private static DownloadResult download(FileTransferClient client, MultiPathHosts hosts, MultiPathHosts.Host primary,
                                           Strategy strategy, String name, String sha) throws Exception {
        Path output = hosts.home().getParent().getParent().resolve("out").resolve(name + ".bin");
        DownloadResult result = client.download(hosts.request(primary, "data/big.bin", output, strategy), p -> { });
        assertThat(MultiPathHosts.sha256(output)).isEqualTo(sha);
        assertThat(result.paths()).hasSize(2);
        Files.delete(output);
        return result;
    }
}
