package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.protocol.Strategy;

/**
 * With {@code mpft.checksum=crc32c}, chunks from secondaries are still SHA-256, checked against the primary's
 * SHA-256 digests (a CRC is no proof against a secondary that forges bytes): real host processes, the real plugin
 * jar, {@link FileTransferClient} in this JVM. A secondary whose copy differs is caught and its checksums, as the
 * primary logs them, are 32 bytes; a good secondary serves its share of a CRC-32C transfer.
 */
@Timeout(300)
class SecondaryChecksumIT {

    private static final int MIB = 1 << 20;
    private static final int SIZE = 24 * MIB + 123;
    private static final Map<String, String> CRC32C = Map.of("mpft.checksum", "crc32c");

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
    void aSecondaryWhoseCopyDiffersIsCheckedWithSha256UnderCrc32c() throws Exception {
        Path secret = hosts.secret("cluster.secret", "z".repeat(40));
        Path otherData = Files.createDirectories(work.resolve("stale-data"));
        // same name, same size, same mtime, other bytes: only the content check can tell
        MultiPathHosts.randomFile(otherData.resolve(MultiPathHosts.USER), "data/crc.bin", SIZE, 99);
        MultiPathHosts.Host secondary = hosts.secondary("sec-stale", secret, otherData, CRC32C);
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), CRC32C);
        MultiPathHosts.awaitLinks(primary, 1);
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/crc.bin", SIZE, 1);
        Path output = Files.createDirectories(work.resolve("out")).resolve("crc.bin");

        DownloadResult result = client.download(hosts.request(primary, "data/crc.bin", output, Strategy.ALTERNATE),
                p -> { });

        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source)).isEqualTo(result.sha256());
        // the primary compares the secondary's SHA-256 of what it read with its own digest and takes the secondary
        // out (whether the client's NACK of a stale chunk or this comparison came first); the secondary's report
        // travels on the cluster link, so it may be logged just after the client's DONE
        Poll.until("the primary's comparison of the secondary's checksum", Poll.PATIENCE,
                () -> primary.process().output().contains("its copy is stale; its chunks go to the other paths"),
                () -> primary.process().output());
        String log = primary.process().output();
        Matcher compared = Pattern.compile("with checksum ([0-9a-f]+), the primary's is ([0-9a-f]+)").matcher(log);
        assertThat(compared.find()).as(log).isTrue();
        assertThat(compared.group(1)).as("the secondary's checksum").hasSize(64);
        assertThat(compared.group(2)).as("the primary's digest").hasSize(64);
    }

    @Test
    void aGoodSecondaryServesItsShareOfACrc32cTransfer() throws Exception {
        Path secret = hosts.secret("cluster.secret", "y".repeat(40));
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, CRC32C);
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), CRC32C);
        MultiPathHosts.awaitLinks(primary, 1);
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/crc.bin", SIZE, 2);
        Path output = Files.createDirectories(work.resolve("out")).resolve("crc.bin");

        DownloadResult result = client.download(hosts.request(primary, "data/crc.bin", output, Strategy.ALTERNATE),
                p -> { });

        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source)).isEqualTo(result.sha256());
        assertThat(result.paths().get(1).chunks()).as("chunks from the secondary").isPositive();
        assertThat(result.retries()).isZero();
    }
}
