package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.FileTransferClient;
import org.mpft.protocol.Strategy;

/**
 * The plugin's Prometheus endpoint on a real demo host: {@code mpft.metrics.bind} serves {@code /metrics} over
 * real HTTP (the JDK's client and the real {@code curl}), its values move during a real {@code mpft get} (held
 * open by the server's chunk gate while the gauges are read), with a wrong password and with a locked user; without the key the host listens on no extra TCP port; a bad value fails the
 * plugin's start naming the key. A primary and its real secondary each count the bytes they sent, and the
 * primary shows its cluster link up, then down when the secondary dies.
 */
@Timeout(300)
class MetricsIT {

    private static final String PASSWORD = "alice-pw";
    /** Between two scrapes while polling. */
    private static final Duration SCRAPE_INTERVAL = Duration.ofMillis(100);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path work;

    @Test
    void valuesMoveDuringARealDownloadAndAFailedLogin() throws Exception {
        int metricsPort = FreePorts.tcp();
        // the server holds every chunk until the gate file exists: the download stays open while the test looks
        Path gate = work.resolve("gate");
        try (HostProcess host = builder().pluginProperty("mpft.metrics.bind", "127.0.0.1:" + metricsPort)
                .javaOption("-Dmpft.test.hold-chunks-until=" + gate)
                // the first failed login locks the user and the address: the next login is refused unasked
                .pluginProperty("mpft.auth.backoff.free-failures", "0")
                .pluginProperty("mpft.auth.backoff.base", "10m")
                .pluginProperty("mpft.auth.backoff.max", "10m")
                .start()) {
            int quicPort = host.awaitMpftListener(HostProcess.DEFAULT_READY_TIMEOUT).port();
            host.awaitOutput("mpft metrics on http://127.0.0.1:" + metricsPort + "/metrics", Duration.ofSeconds(30));
            String url = "http://127.0.0.1:" + metricsPort + "/metrics";
            assertThat(listeningTcpPorts(host)).containsExactlyInAnyOrder(host.sftpPort(), metricsPort);

            String before = scrape(url);
            assertThat(before).contains("# HELP mpft_transfers_total ", "# TYPE mpft_transfers_total counter",
                    "# TYPE mpft_transfer_throughput_bytes_per_second histogram");
            for (String family : List.of("mpft_sessions", "mpft_logins_total", "mpft_transfers_active",
                    "mpft_sent_bytes_total", "mpft_wire_bytes_total", "mpft_chunk_retries_total",
                    "mpft_cache_hits_total", "mpft_cache_misses_total", "mpft_cache_bytes")) {
                assertThat(before).containsPattern("(?m)^# HELP " + family + " \\S");
            }
            assertThat(value(before, "mpft_transfers_total{result=\"done\"}")).isZero();

            int size = 3 * 1024 * 1024 + 17;
            byte[] content = new byte[size];
            new java.util.Random(18).nextBytes(content);
            Files.write(Files.createDirectories(host.home("alice")).resolve("f.bin"), content);
            Path out = work.resolve("out.bin");
            MpftCli.Run run = new MpftCli(Files.createDirectories(work.resolve("cli")), PASSWORD)
                    .run(List.of(), process -> {
                        // during the download: one logged-in session, one active transfer
                        Poll.until("the download shown active", Poll.PATIENCE, SCRAPE_INTERVAL, () -> {
                            String during = scrape(url);
                            return value(during, "mpft_transfers_active") == 1
                                    && value(during, "mpft_sessions{state=\"authenticated\"}") == 1;
                        }, host::output);
                        Files.createFile(gate);
                    }, get(quicPort, out));
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(Files.size(out)).isEqualTo(size);

            // the primary counts the transfer when it closes it, after the client's DONE
            Poll.until("the transfer counted", Poll.PATIENCE, SCRAPE_INTERVAL,
                    () -> value(scrape(url), "mpft_transfers_total{result=\"done\"}") == 1, host::output);
            String after = scrape(url);
            assertThat(value(after, "mpft_transfers_total{result=\"failed\"}")).isZero();
            assertThat(value(after, "mpft_transfers_active")).isZero();
            assertThat(value(before, "mpft_sessions{state=\"authenticated\"}")).isZero();
            assertThat(value(after, "mpft_logins_total{result=\"ok\"}"))
                    .isEqualTo(value(before, "mpft_logins_total{result=\"ok\"}") + 1);
            assertThat(value(after, "mpft_sent_bytes_total{role=\"primary\"}")).isGreaterThanOrEqualTo(size);
            assertThat(value(after, "mpft_path_bytes_total{path=\"primary\"}")).isGreaterThanOrEqualTo(size);
            assertThat(value(after, "mpft_cache_misses_total")).isPositive();
            assertThat(value(after, "mpft_transfer_throughput_bytes_per_second_count")).isEqualTo(1);
            assertThat(value(after, "mpft_transfer_throughput_bytes_per_second_bucket{le=\"+Inf\"}")).isEqualTo(1);
            assertThat(value(after, "mpft_transfer_throughput_bytes_per_second_sum")).isPositive();

            // the real curl an operator runs sees the same text
            if (Files.isExecutable(Path.of("/usr/bin/curl"))) {
                Process curl = new ProcessBuilder("/usr/bin/curl", "-s", url).redirectErrorStream(true).start();
                String text = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(curl.exitValue()).as(text).isZero();
                assertThat(value(text, "mpft_transfers_total{result=\"done\"}")).isEqualTo(1);
            }

            double failedBefore = value(after, "mpft_logins_total{result=\"failed\"}");
            MpftCli.Run refused = new MpftCli(Files.createDirectories(work.resolve("cli-wrong")), "wrong-pw")
                    .run(get(quicPort, work.resolve("never.bin")));
            assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
            Poll.until("the failed login counted", Poll.PATIENCE, SCRAPE_INTERVAL,
                    () -> value(scrape(url), "mpft_logins_total{result=\"failed\"}") == failedBefore + 1,
                    host::output);
            assertThat(value(scrape(url), "mpft_logins_total{result=\"ok\"}"))
                    .isEqualTo(value(after, "mpft_logins_total{result=\"ok\"}"));

            // alice is locked now: even her right password is refused without asking the host
            MpftCli.Run locked = new MpftCli(Files.createDirectories(work.resolve("cli-locked")), PASSWORD)
                    .run(get(quicPort, work.resolve("never.bin")));
            assertThat(locked.exitCode()).as(locked.toString()).isNotZero();
            Poll.until("the locked login counted", Poll.PATIENCE, SCRAPE_INTERVAL,
                    () -> value(scrape(url), "mpft_logins_total{result=\"locked\"}") == 1, host::output);
            String last = scrape(url);
            assertThat(value(last, "mpft_logins_total{result=\"failed\"}")).isEqualTo(failedBefore + 1);
            assertThat(value(last, "mpft_logins_total{result=\"ok\"}"))
                    .isEqualTo(value(after, "mpft_logins_total{result=\"ok\"}"));
        }
    }

    @Test
    void offByDefault() throws Exception {
        try (HostProcess host = builder().start()) {
            host.awaitMpftListener(HostProcess.DEFAULT_READY_TIMEOUT);
            assertThat(host.output()).doesNotContain("mpft metrics on");
            // the host's one TCP listener is its SFTP port: the plugin opened none
            assertThat(listeningTcpPorts(host)).containsExactly(host.sftpPort());
        }
    }

    @Test
    void aBadValueFailsThePluginStartNamingTheKey() throws Exception {
        try (HostProcess host = builder().pluginProperty("mpft.metrics.bind", "127.0.0.1").start()) {
            host.awaitOutput("failed to start", Duration.ofSeconds(30));
            assertOneErrorLine(host, "mpft.metrics.bind=127.0.0.1", "expected host:port");
        }
    }

    @Test
    void aTakenPortFailsThePluginStartNamingTheKeyAndThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String bind = "127.0.0.1:" + taken.getLocalPort();
            try (HostProcess host = builder().pluginProperty("mpft.metrics.bind", bind).start()) {
                host.awaitOutput("failed to start", Duration.ofSeconds(30));
                assertOneErrorLine(host, "mpft.metrics.bind", bind);
                // the QUIC listener was never bound, and nothing was left listening
                assertThat(host.output()).doesNotContain("mpft listening on");
                assertThat(listeningTcpPorts(host)).containsExactly(host.sftpPort());
            }
        }
    }

    @Test
    void aPrimaryShowsBytesPerPathAndItsClusterLinkUpThenDown() throws Exception {
        try (MultiPathHosts hosts = new MultiPathHosts(work.resolve("cluster"));
             FileTransferClient client = new FileTransferClient()) {
            Path secret = hosts.secret("secret", "s".repeat(32) + "-metrics-it-cluster-secret");
            int secondaryMetrics = FreePorts.tcp();
            MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null,
                    Map.of("mpft.metrics.bind", "127.0.0.1:" + secondaryMetrics));
            int metricsPort = FreePorts.tcp();
            MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary),
                    Map.of("mpft.metrics.bind", "127.0.0.1:" + metricsPort));
            MultiPathHosts.awaitLinks(primary, 1);
            String url = "http://127.0.0.1:" + metricsPort + "/metrics";
            String secondaryUrl = "http://127.0.0.1:" + secondaryMetrics + "/metrics";
            String series = "mpft_cluster_link_up{secondary=\"" + secondary.server() + "\"}";
            Poll.until("the link shown up", Poll.PATIENCE, SCRAPE_INTERVAL, () -> value(scrape(url), series) == 1,
                    primary.process()::output);

            // a download over both paths (1 MiB chunks, alternating): each role counts what it sent itself
            int size = 8 * 1024 * 1024;
            MultiPathHosts.randomFile(hosts.home(), "data/m.bin", size, 7);
            Path out = work.resolve("m.bin");
            client.download(hosts.request(primary, "data/m.bin", out, Strategy.ALTERNATE), p -> { });
            assertThat(Files.size(out)).isEqualTo(size);
            Poll.until("the transfer counted", Poll.PATIENCE, SCRAPE_INTERVAL,
                    () -> value(scrape(url), "mpft_transfers_total{result=\"done\"}") == 1, primary.process()::output);
            String onPrimary = scrape(url);
            String onSecondary = scrape(secondaryUrl);
            double byPrimary = value(onPrimary, "mpft_path_bytes_total{path=\"primary\"}");
            double bySecondary = value(onPrimary, "mpft_path_bytes_total{path=\"sec-1\"}");
            assertThat(byPrimary).isPositive();
            assertThat(bySecondary).isPositive();
            assertThat(byPrimary + bySecondary).isGreaterThanOrEqualTo(size);
            assertThat(value(onPrimary, "mpft_sent_bytes_total{role=\"primary\"}")).isGreaterThanOrEqualTo(byPrimary);
            assertThat(value(onSecondary, "mpft_sent_bytes_total{role=\"secondary\"}"))
                    .isGreaterThanOrEqualTo(bySecondary);
            assertThat(onSecondary).doesNotContain("mpft_cluster_link_up");
            secondary.process().kill();
            Poll.until("the link shown down", Poll.PATIENCE, SCRAPE_INTERVAL, () -> value(scrape(url), series) == 0,
                    primary.process()::output);
        }
    }

    private HostProcess.Builder builder() {
        return HostProcess.builder(work.resolve("host"))
                .user(HostProcess.User.withPassword("alice", PASSWORD))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()))
                .echoOutput(false);
    }

    private String[] get(int quicPort, Path out) {
        return new String[] {"get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts",
            work.resolve("known_hosts").toString(), "alice@127.0.0.1:" + quicPort + ":f.bin", "-o", out.toString()};
    }

    /** {@code GET url}: 200 with the text format, or an unchecked failure (it runs inside polls too). */
    private String scrape(String url) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return response.body();
    }

    /** The value of one sample ({@code name{labels}} exactly as written); fails when it is missing. */
    private static double value(String exposition, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(exposition);
        if (!m.find()) {
            throw new AssertionError("no sample " + sample + " in:\n" + exposition);
        }
        return Double.parseDouble(m.group(1));
    }

    private static void assertOneErrorLine(HostProcess host, String... mentions) {
        List<String> errors = host.output().lines().filter(l -> l.contains("ERROR")).toList();
        assertThat(errors).as("error lines in:\n%s", host.output()).hasSize(1);
        for (String m : mentions) {
            assertThat(errors.get(0)).contains(m);
        }
        assertThat(host.output()).as("no stack trace").doesNotContain("\tat ");
        assertThat(host.isAlive()).isTrue();
    }

    /**
     * The TCP ports the host's process listens on: its socket file descriptors matched against the kernel's
     * table of listening sockets (state 0A) in {@code /proc/net/tcp} and {@code tcp6}.
     */
    private static Set<Integer> listeningTcpPorts(HostProcess host) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(host.process().pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    String local = f[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
