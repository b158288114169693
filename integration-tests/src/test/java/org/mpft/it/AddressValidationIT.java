package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that validates every new connection's address with a QUIC Retry ({@code mpft.address-validation=always})
 * still serves the real {@code mpft} command: its QUIC stack answers the Retry with the token and the download
 * goes through; the host's metrics count the Retry sent and the token validated.
 */
@Timeout(300)
class AddressValidationIT {

    private static final String PASSWORD = "alice-pw";
    private static final int METRICS_PORT = FreePorts.tcp();

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD))
            .pluginProperty("mpft.address-validation", "always")
            .pluginProperty("mpft.metrics.bind", "127.0.0.1:" + METRICS_PORT)
            .quiet()
            .build();

    @TempDir
    Path dir;

    @Test
    void theCliDownloadsThroughARetry() throws Exception {
        byte[] bytes = new byte[3 << 20];
        new Random(23).nextBytes(bytes);
        Files.write(host.home("alice").resolve("file.bin"), bytes);
        Path out = dir.resolve("out.bin");

        MpftCli.Run run = new MpftCli(dir, PASSWORD).run("get", "--password-env", "MPFT_PASSWORD", "--accept-new",
                "--known-hosts", dir.resolve("known_hosts").toString(),
                "alice@127.0.0.1:" + host.port() + ":file.bin", "-o", out.toString(), "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
        String metrics = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + METRICS_PORT + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
        assertThat(counter(metrics, "retry_sent")).as(metrics).isGreaterThanOrEqualTo(1);
        assertThat(counter(metrics, "validated")).as(metrics).isGreaterThanOrEqualTo(1);
    }

    private static double counter(String metrics, String result) {
        String prefix = "mpft_address_validations_total{result=\"" + result + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(
                l.substring(prefix.length()))).findFirst().orElseThrow(() -> new AssertionError("no " + prefix));
    }
}
