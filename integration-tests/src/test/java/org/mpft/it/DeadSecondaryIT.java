package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.protocol.Strategy;

/**
 * A secondary that stops answering (its process frozen with SIGSTOP, as a hung or cut-off host would be):
 * the primary's cluster link notices it on its own (LINK_PING unanswered for the link timeout), and a
 * download never waits for that secondary's registration. Real host processes, the real plugin jar,
 * {@link FileTransferClient} in this JVM; the frozen secondary is killed at the end.
 */
@Timeout(300)
class DeadSecondaryIT {

    private static final int MIB = 1 << 20;
    private static final int CHUNKS = 8;

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private FileTransferClient client;
    private MultiPathHosts.Host frozen;

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
        client = new FileTransferClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        if (frozen != null) {
            frozen.process().kill(); // a stopped process does not act on SIGTERM
        }
        hosts.close();
    }

    private void freeze(MultiPathHosts.Host host) throws IOException, InterruptedException {
        Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(host.process().process().pid()))
                .redirectErrorStream(true).start();
        assertThat(stop.waitFor()).as("kill -STOP").isZero();
        frozen = host;
    }

    private DownloadResult download(MultiPathHosts.Host primary, String name, long seed) throws Exception {
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/" + name, CHUNKS * MIB, seed);
        Path output = work.resolve("out/" + name);
        Files.createDirectories(output.getParent());
        DownloadResult result = client.download(hosts.request(primary, "data/" + name, output, Strategy.ALTERNATE),
                p -> { });
        assertThat(MultiPathHosts.sha256(output)).isEqualTo(MultiPathHosts.sha256(source)).isEqualTo(result.sha256());
        return result;
    }

    @Test
    void aSilentSecondarysLinkGoesDownAndTheNextDownloadUsesThePrimaryAlone() throws Exception {
        Path secret = hosts.secret("cluster.secret", "d".repeat(40));
        // connections idle out after 10 minutes on both sides (a QUIC connection's idle timeout is the shorter of
        // the two): only the cluster link's own timeout can notice in time
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of("mpft.idle-timeout", "10m"));
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary),
                Map.of("mpft.idle-timeout", "10m"));
        MultiPathHosts.awaitLinks(primary, 1);

        freeze(secondary);
        // the liveness check (LINK_PING unanswered), not QUIC's idle timeout (twice as long on a pinged link)
        primary.process().awaitOutput("cluster link to secondary " + secondary.server()
                + " is down (nothing heard from the secondary for ", Duration.ofSeconds(60));

        DownloadResult result = download(primary, "after.bin", 3);
        assertThat(result.paths().get(0).role()).isEqualTo("primary");
        assertThat(result.paths().get(0).chunkIndices()).hasSize(CHUNKS);
        assertThat(result.paths()).hasSize(1); // META listed no secondary
        assertThat(primary.process().output()).contains("secondary " + secondary.server() + " left out: not connected");
        assertThat(secondary.process().output()).as("the secondary knew LINK_PING").doesNotContain("PROTOCOL_ERROR");
    }

    @Test
    void aDownloadDoesNotWaitForARegistrationTheSecondaryNeverAnswers() throws Exception {
        Path secret = hosts.secret("cluster.secret", "e".repeat(40));
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of("mpft.idle-timeout", "10m"));
        // the link never notices here, and the registration bound is far longer than the client takes to START:
        // START must come before the registration's timeout, which only holds when META does not wait for it
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary),
                Map.of("mpft.cluster.link-timeout", "10m", "mpft.idle-timeout", "10m",
                        "mpft.cluster.register-timeout", "5s"));
        MultiPathHosts.awaitLinks(primary, 1);

        freeze(secondary);
        DownloadResult result = download(primary, "during.bin", 4);

        assertThat(result.paths().get(0).role()).isEqualTo("primary");
        assertThat(result.paths().get(0).chunkIndices()).hasSize(CHUNKS); // the secondary's share moved too
        String log = primary.process().output();
        int started = log.indexOf("alice downloads data/during.bin");
        int leftOut = log.indexOf("secondary " + secondary.server() + " left out: ");
        assertThat(started).as("the transfer's start in the primary's log:\n%s", log).isNotNegative();
        assertThat(leftOut).as("the registration's timeout in the primary's log:\n%s", log).isGreaterThan(started);
        assertThat(log.substring(leftOut)).startsWith("secondary " + secondary.server()
                + " left out: secondary " + secondary.server() + " did not confirm the registration of transfer");
        assertThat(log).contains("secondary sec-1 dropped from the transfer (SERVER_UNAVAILABLE");
    }
}
