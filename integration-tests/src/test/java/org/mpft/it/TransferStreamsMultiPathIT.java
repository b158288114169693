package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Batch;
import org.mpft.client.BatchFile;
import org.mpft.client.BatchListener;
import org.mpft.client.BatchRequest;
import org.mpft.client.BatchResult;
import org.mpft.client.FileOutcome;
import org.mpft.client.FileTransferClient;
import org.mpft.client.PathSummary;
import org.mpft.protocol.Strategy;

/**
 * Several files in flight on one session of a primary with a secondary (real demo hosts, real plugin jars,
 * real QUIC): the chunks of the concurrent transfers that come over the secondary's connection reach the
 * transfer they belong to, and every file arrives byte for byte. The primary holds its chunks until the test
 * has seen four transfers running at once on its one session.
 */
@Timeout(300)
class TransferStreamsMultiPathIT {

    private static final int FILES = 24;

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private FileTransferClient client;
    private final HttpClient http = HttpClient.newHttpClient();

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
    void chunksOfConcurrentTransfersOverTheSecondaryReachTheirFiles() throws Exception {
        Path secret = hosts.secret("cluster.secret", "y".repeat(48));
        Path gate = work.resolve("gate");
        int metricsPort = FreePorts.tcp();
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of("mpft.chunk-size", "64k"));
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary),
                Map.of("mpft.chunk-size", "64k", "mpft.metrics.bind", "127.0.0.1:" + metricsPort),
                List.of("-Dmpft.test.hold-chunks-until=" + gate));
        MultiPathHosts.awaitLinks(primary, 1);
        Path out = work.resolve("out");
        List<BatchFile> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            // 4 to 10 chunks each: both paths serve every file
            String name = "tree/d" + (i % 3) + "/f" + i + ".bin";
            Path source = MultiPathHosts.randomFile(hosts.home(), name, (4 + i % 7) * 65536 - 1000 * i, 100 + i);
            files.add(new BatchFile(name, out.resolve(name), Files.size(source),
                    Files.getLastModifiedTime(source).toMillis(), -1));
        }
        BatchRequest request = BatchRequest.builder(hosts.request(primary, "unused", out, Strategy.ALTERNATE), files)
                .sessions(1).transfersPerSession(4).build();

        Batch batch = client.startBatch(request, BatchListener.NONE);
        String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";
        Poll.until("four transfers running at once on the primary's one session", Poll.PATIENCE, () -> {
            String body = scrape(metrics);
            return metric(body, "mpft_transfers_active") == 4
                    && metric(body, "mpft_sessions{state=\"authenticated\"}") == 1;
        }, primary.process()::output);
        Files.createFile(gate);
        BatchResult result = batch.await();

        assertThat(result.failures()).isEmpty();
        long fromSecondary = 0;
        for (FileOutcome outcome : result.files()) {
            BatchFile file = outcome.file();
            assertThat(Files.mismatch(file.output(), hosts.home().resolve(file.remotePath())))
                    .as(file.remotePath()).isEqualTo(-1);
            for (PathSummary path : outcome.result().paths()) {
                if (path.role().equals("secondary")) {
                    assertThat(path.server()).isEqualTo(secondary.server());
                    fromSecondary += path.bytes();
                }
            }
        }
        assertThat(fromSecondary).as("chunks of the concurrent transfers came over the secondary").isPositive();
    }

    private String scrape(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return ""; // not listening yet: asked again
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double metric(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
