package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.client.PathSummary;
import org.mpft.protocol.Strategy;

/**
 * Compression on a multi-path transfer: the primary names its codec in REGISTER_TRANSFER and the secondary
 * compresses its chunks the same way; the file arrives byte-identical, and the secondary's "served" line
 * shows its chunks travelled compressed (and raw when the client did not ask for compression).
 */
@Timeout(240)
class MultiPathCompressionIT {

    private static final int SIZE = 12 * 1000 * 1000 + 5;
    private static final Pattern SERVED = Pattern.compile(
            "transfer (\\d+) of prim .* served: chunks=(\\d+) compressed=(\\d+) bytes=(\\d+) wire=(\\d+)");

    @TempDir
    static Path work;

    private static MultiPathHosts hosts;
    private static MultiPathHosts.Host primary;
    private static MultiPathHosts.Host secondary;
    private static FileTransferClient client;

    @BeforeAll
    static void start() throws Exception {
        hosts = new MultiPathHosts(work);
        Path secret = hosts.secret("cluster.secret", "c".repeat(48));
        secondary = hosts.secondary("sec-1", secret, null, Map.of());
        primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        client = new FileTransferClient();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void theSecondaryCompressesItsChunksAndTheFileArrivesIdentical() throws Exception {
        Path source = textFile("data/app.log", 11);
        Path output = work.resolve("out/app.log");
        Files.createDirectories(output.getParent());

        int before = servedLines();
        DownloadResult result = client.download(request("data/app.log", output, true), p -> { });

        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source)).isEqualTo(result.sha256());
        assertThat(result.retries()).isZero();
        PathSummary fromSecondary = result.paths().get(1);
        assertThat(fromSecondary.role()).isEqualTo("secondary");
        assertThat(fromSecondary.chunks()).isPositive();
        long[] served = served(before + 1);
        assertThat(served[0]).as("chunks the secondary sent").isGreaterThanOrEqualTo(fromSecondary.chunks());
        assertThat(served[1]).as("of them compressed").isEqualTo(served[0]);
        assertThat(served[3]).as("wire bytes vs bytes").isLessThan(served[2] / 2);
    }

    @Test
    void withoutTheFlagTheSecondarySendsRaw() throws Exception {
        Path source = textFile("data/plain.log", 12);
        Path output = work.resolve("out/plain.log");
        Files.createDirectories(output.getParent());

        int before = servedLines();
        DownloadResult result = client.download(request("data/plain.log", output, false), p -> { });

        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source));
        assertThat(result.paths().get(1).chunks()).isPositive();
        long[] served = served(before + 1);
        assertThat(served[1]).isZero();
        assertThat(served[3]).isEqualTo(served[2]);
    }

    private static DownloadRequest request(String path, Path output, boolean compress) {
        DownloadRequest r = hosts.request(primary, path, output, Strategy.ALTERNATE);
        return new DownloadRequest(r.user(), r.host(), r.port(), r.remotePath(), r.output(), r.credentials(),
                r.hostKeys(), r.strategy(), r.resume(), r.retries(), compress);
    }

    private static int servedLines() {
        int n = 0;
        Matcher m = SERVED.matcher(secondary.process().output());
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The secondary's n-th "served" line (1-based, once it is logged): chunks, compressed, bytes, wire. */
    private static long[] served(int n) throws Exception {
        return Poll.value("served line " + n + " from the secondary", Poll.PATIENCE, () -> {
            int seen = 0;
            Matcher m = SERVED.matcher(secondary.process().output());
            while (m.find()) {
                if (++seen == n) {
                    return new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                            Long.parseLong(m.group(4)), Long.parseLong(m.group(5))};
                }
            }
            return null;
        }, secondary.process()::output);
    }

    /** Log-like text (compresses well with zstd level 1), fixed mtime, in the shared home. */
    private static Path textFile(String relative, long seed) throws Exception {
        Path file = hosts.home().resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, MpftHost.logText(SIZE, seed));
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
        return file;
    }
}
