package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.mpft.client.Credentials;
import org.mpft.client.FileOutcome;
import org.mpft.client.FileSelection;
import org.mpft.client.FileTransferClient;
import org.mpft.client.ListingRequest;
import org.mpft.client.PathSummary;
import org.mpft.protocol.Strategy;

/**
 * The files of one batch session share the session's connection to a secondary: real primary and secondary
 * hosts, the real client library ({@code select}, then {@code downloadBatch} with one session). Each file
 * attaches to the secondary on a further stream of one QUIC connection (the secondary's log names the same
 * client address for every attach); a secondary restarted between files is reached on a new connection.
 * Strategy ALTERNATE with 1 MiB chunks: chunk 1 of every 2-chunk file is the secondary's.
 */
@Timeout(300)
class SecondaryReuseIT {

    private static final String SECRET = "r".repeat(48);
    private static final int FILES = 10;
    private static final int SIZE = (2 << 20) - 1000; // two chunks: one per path
    private static final Pattern ATTACHED = Pattern.compile("client (\\S+) attached to transfer");

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private final FileTransferClient client = new FileTransferClient();

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
    }

    @AfterEach
    void tearDown() {
        client.close();
        hosts.close();
    }

    @Test
    void oneSessionAttachesEveryFileOnOneConnectionToTheSecondary() throws Exception {
        Path secret = hosts.secret("cluster.secret", SECRET);
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        for (int i = 0; i < FILES; i++) {
            MultiPathHosts.randomFile(hosts.home(), "tree/f" + i + ".bin", SIZE, 100 + i);
        }
        Path out = Files.createDirectories(work.resolve("out"));

        BatchResult result = client.downloadBatch(request(primary, out, plan(primary, out)).sessions(1).build(),
                BatchListener.NONE);

        assertThat(result.succeeded()).as(result.failures().toString()).isTrue();
        assertThat(result.files()).hasSize(FILES);
        for (int i = 0; i < FILES; i++) {
            assertThat(Files.mismatch(out.resolve("f" + i + ".bin"), hosts.home().resolve("tree/f" + i + ".bin")))
                    .as("f%d.bin", i).isEqualTo(-1L);
        }
        for (FileOutcome file : result.files()) {
            assertThat(secondaryBytes(file)).as("%s from the secondary", file.file().output()).isPositive();
        }
        List<String> attaches = attaches(secondary);
        assertThat(attaches).as("one attach per file").hasSize(FILES);
        assertThat(new HashSet<>(attaches)).as("every attach on one client connection").hasSize(1);
    }

    @Test
    void aTransferThatFindsNoStreamToSpareAttachesOnAConnectionOfItsOwnAndTheKeptOneServesOn() throws Exception {
        Path secret = hosts.secret("cluster.secret", SECRET);
        // the secondary grants two streams per connection: the control stream and one attachment stream, so
        // four files in flight on one session run out of streams on the kept connection
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null,
                Map.of("mpft.max-streams-per-connection", "2"));
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        for (int i = 0; i < FILES; i++) {
            MultiPathHosts.randomFile(hosts.home(), "tree/f" + i + ".bin", SIZE, 300 + i);
        }
        Path out = Files.createDirectories(work.resolve("out"));

        BatchResult result = client.downloadBatch(request(primary, out, plan(primary, out)).sessions(1)
                .transfersPerSession(4).build(), BatchListener.NONE);

        assertThat(result.succeeded()).as(result.failures().toString()).isTrue();
        for (int i = 0; i < FILES; i++) {
            assertThat(Files.mismatch(out.resolve("f" + i + ".bin"), hosts.home().resolve("tree/f" + i + ".bin")))
                    .as("f%d.bin", i).isEqualTo(-1L);
        }
        for (FileOutcome file : result.files()) {
            assertThat(secondaryBytes(file)).as("%s from the secondary", file.file().output()).isPositive();
        }
        assertThat(primary.process().output()).as("no chunk left waiting for a secondary that lost its client")
                .doesNotContain("timed out");
    }

    @Test
    void aSecondaryRestartedBetweenFilesIsReachedOnANewConnection() throws Exception {
        Path secret = hosts.secret("cluster.secret", SECRET);
        Path gate = work.resolve("gate");
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        // the primary sends the first file's chunk at once, and every later chunk only once the gate exists:
        // the batch waits in its second file while the secondary restarts
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of(),
                List.of("-Dmpft.test.hold-chunks-until=" + gate, "-Dmpft.test.hold-after-chunks=1"));
        MultiPathHosts.awaitLinks(primary, 1);
        int files = 4;
        for (int i = 0; i < files; i++) {
            MultiPathHosts.randomFile(hosts.home(), "tree/f" + i + ".bin", SIZE, 200 + i);
        }
        Path out = Files.createDirectories(work.resolve("out"));
        // one file at a time, so that the second file is the one in progress while the secondary restarts
        Batch batch = client.startBatch(request(primary, out, plan(primary, out)).sessions(1).transfersPerSession(1)
                .build(), BatchListener.NONE);

        Poll.until("the first file done", Poll.PATIENCE, () -> batch.progress().filesDone() >= 1,
                () -> primary.process().output() + secondary.process().output());
        Poll.until("the second file attached", Poll.PATIENCE, () -> attaches(secondary).size() >= 2,
                secondary.process()::output);
        assertThat(new HashSet<>(attaches(secondary))).hasSize(1);
        MultiPathHosts.Host restarted = hosts.restartSecondary(secondary, secret);
        assertThat(restarted.fingerprint()).isEqualTo(secondary.fingerprint());
        MultiPathHosts.awaitLinks(primary, 2); // the primary's link to it is up again
        Files.createFile(gate);

        BatchResult result = batch.await();

        assertThat(result.succeeded()).as(result.failures().toString()).isTrue();
        for (int i = 0; i < files; i++) {
            assertThat(Files.mismatch(out.resolve("f" + i + ".bin"), hosts.home().resolve("tree/f" + i + ".bin")))
                    .as("f%d.bin", i).isEqualTo(-1L);
        }
        List<String> after = attaches(restarted);
        assertThat(after).as("the files after the restart attached to the restarted secondary")
                .hasSize(files - 2);
        assertThat(new HashSet<>(after)).as("on one new connection").hasSize(1);
    }

    private FileSelection.Plan plan(MultiPathHosts.Host primary, Path out) throws Exception {
        ListingRequest listing = new ListingRequest(MultiPathHosts.USER, "127.0.0.1", primary.port(),
                new Credentials.Password(MultiPathHosts.PASSWORD.toCharArray()),
                CertificatePins.trusting(primary.fingerprint()), null);
        return client.select(listing, List.of("tree/*.bin"), out, false);
    }

    private BatchRequest.Builder request(MultiPathHosts.Host primary, Path out, FileSelection.Plan plan) {
        List<BatchFile> files = plan.files();
        assertThat(files).isNotEmpty();
        return BatchRequest.builder(hosts.request(primary, "tree", out, Strategy.ALTERNATE), files);
    }

    private static long secondaryBytes(FileOutcome file) {
        long bytes = 0;
        for (PathSummary path : file.result().paths()) {
            if (path.role().equals("secondary")) {
                bytes += path.bytes();
            }
        }
        return bytes;
    }

    /** The client address of every attach the secondary logged, in order. */
    private static List<String> attaches(MultiPathHosts.Host secondary) {
        List<String> clients = new ArrayList<>();
        Matcher m = ATTACHED.matcher(secondary.process().output());
        while (m.find()) {
            clients.add(m.group(1));
        }
        return clients;
    }
}
