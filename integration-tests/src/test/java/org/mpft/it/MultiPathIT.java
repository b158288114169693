package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.client.PathSummary;
import org.mpft.protocol.Strategy;

/**
 * Multi-path downloads end to end: real host processes (a primary and its secondaries on loopback, one
 * data folder), the real plugin jar, and {@link FileTransferClient} in this JVM.
 */
@Timeout(300)
class MultiPathIT {

    private static final int SIZE = 100 * 1000 * 1000;
    private static final int MIB = 1 << 20;
    private static final int CHUNKS = (SIZE + MIB - 1) / MIB;

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private FileTransferClient client;

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
        client = new FileTransferClient();
    }

    @AfterEach
    void tearDown() {
        client.close();
        hosts.close();
    }

    @Test
    void alternateWithOneSecondaryServesEvenChunksFromTheSecondary() throws Exception {
        Path secret = hosts.secret("cluster.secret", "x".repeat(48));
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/big.bin", SIZE, 1);
        Path output = work.resolve("out/big.bin");
        Files.createDirectories(output.getParent());

        DownloadResult result = client.download(hosts.request(primary, "data/big.bin", output, Strategy.ALTERNATE),
                p -> { });

        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source)).isEqualTo(result.sha256());
        assertThat(result.chunks()).isEqualTo(CHUNKS);
        assertThat(result.paths()).hasSize(2);
        PathSummary first = result.paths().get(0);
        PathSummary second = result.paths().get(1);
        assertThat(first.role()).isEqualTo("primary");
        assertThat(first.server()).isEqualTo(primary.server());
        assertThat(second.role()).isEqualTo("secondary");
        assertThat(second.server()).isEqualTo(secondary.server());
        // counting from 1: chunks 1, 3, 5 ... from the primary, 2, 4, 6 ... from the secondary
        assertThat(first.chunkIndices()).allMatch(i -> i % 2 == 0).hasSize((CHUNKS + 1) / 2);
        assertThat(second.chunkIndices()).allMatch(i -> i % 2 == 1).hasSize(CHUNKS / 2);
        assertThat(first.bytes() + second.bytes()).isEqualTo(SIZE);
        assertThat(result.retries()).isZero();
    }

    @Test
    void twoSecondariesServeTheirRoundRobinShares() throws Exception {
        Path secret = hosts.secret("cluster.secret", "y".repeat(40));
        MultiPathHosts.Host one = hosts.secondary("sec-1", secret, null, Map.of());
        MultiPathHosts.Host two = hosts.secondary("sec-2", secret, null, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(one, two), Map.of());
        MultiPathHosts.awaitLinks(primary, 2);
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/big3.bin", SIZE, 3);
        Path output = work.resolve("out/big3.bin");
        Files.createDirectories(output.getParent());

        DownloadResult result = client.download(hosts.request(primary, "data/big3.bin", output, Strategy.ALTERNATE),
                p -> { });

        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source));
        assertThat(result.paths()).extracting(PathSummary::server)
                .containsExactly(primary.server(), one.server(), two.server());
        for (int slot = 0; slot < 3; slot++) {
            int s = slot;
            int expected = (CHUNKS - slot + 2) / 3;
            assertThat(result.paths().get(slot).chunkIndices()).as("path %d", slot)
                    .allMatch(i -> i % 3 == s).hasSize(expected);
        }
    }

    @Test
    void staleSecondaryNeverCorruptsTheDownload() throws Exception {
        Path secret = hosts.secret("cluster.secret", "z".repeat(40));
        Path otherData = Files.createDirectories(work.resolve("stale-data"));
        // same name, same size, same mtime, other bytes: only the content check can tell
        Path stale = MultiPathHosts.randomFile(otherData.resolve(MultiPathHosts.USER), "data/big.bin", SIZE, 99);
        MultiPathHosts.Host secondary = hosts.secondary("sec-stale", secret, otherData, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/big.bin", SIZE, 1);
        assertThat(Files.getLastModifiedTime(stale)).isEqualTo(Files.getLastModifiedTime(source));
        assertThat(MultiPathHosts.sha256(stale)).isNotEqualTo(MultiPathHosts.sha256(source));
        Path output = work.resolve("out/big.bin");
        Files.createDirectories(output.getParent());

        DownloadResult result = client.download(hosts.request(primary, "data/big.bin", output, Strategy.ALTERNATE),
                p -> { });

        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source)).isEqualTo(result.sha256());
        assertThat(result.paths().get(0).chunkIndices()).hasSize(CHUNKS); // the primary served every chunk
        assertThat(result.paths().get(1).chunks()).isZero();
        // the primary logs the drop on its own thread, possibly after the client has its result: wait for it
        primary.process().awaitOutput("secondary sec-stale dropped from the transfer (STALE_FILE",
                java.time.Duration.ofSeconds(30));
    }

    @Test
    void secondaryRefusesAPrimaryWithoutTheSecret() throws Exception {
        Path secret = hosts.secret("cluster.secret", "a".repeat(40));
        Path wrong = hosts.secret("wrong.secret", "b".repeat(40));
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", wrong, List.of(secondary), Map.of());
        // the primary checks the secondary's proof first, so each side logs its refusal of the other
        secondary.process().awaitOutput("the handshake failed on the primary's side: CLUSTER_AUTH_FAILED",
                java.time.Duration.ofSeconds(30));
        assertThat(secondary.process().output()).contains("cluster link from").contains("refused");
        assertThat(primary.process().output()).contains("did not prove the cluster secret")
                .doesNotContain(" up; clients reach it");

        Path source = MultiPathHosts.randomFile(hosts.home(), "data/small.bin", 3 * MIB, 5);
        Path output = work.resolve("out/small.bin");
        Files.createDirectories(output.getParent());
        DownloadResult result = client.download(hosts.request(primary, "data/small.bin", output, Strategy.ALTERNATE),
                p -> { });
        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source));
        assertThat(result.paths()).singleElement().extracting(PathSummary::role).isEqualTo("primary");
    }
}
