package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.client.HostKeyVerifier;
import org.mpft.protocol.Strategy;

/**
 * Load: 50 concurrent clients download through a primary and its secondary (alternate strategy: half the
 * chunks from each) for a bounded time ({@code mpft.load.seconds}, 20 s in the default build, longer with
 * {@code -Pload}). No download may fail or differ from its source; the hosts' open files, threads and
 * native "Other" memory (direct buffers; Native Memory Tracking) measured before and after must not
 * grow beyond small bounds. Latencies go to {@code target/load-results.txt}: per download, and per chunk
 * (client side, {@link org.mpft.client.ChunkLatencies}: from the first byte of the chunk's stream to the chunk
 * verified, written and acknowledged), p50 and p99 over every chunk of the measured period.
 */
@Timeout(900)
class LoadIT {

    static final int CLIENTS = 50;
    static final int FILES = 8;
    static final int FILE_SIZE = 4 << 20;
    static final String USER = "alice";
    static final String PASSWORD = "load-pw";

    @TempDir
    Path work;

    record Node(HostProcess process, int port, String fingerprint) {
    }

    @Test
    void fiftyClientsThroughPrimaryAndSecondaryLeakNothing() throws Exception {
        int seconds = Integer.getInteger("mpft.load.seconds", 20);
        Path data = Files.createDirectories(work.resolve("data"));
        Path secret = work.resolve("cluster.secret");
        Files.writeString(secret, "s".repeat(48));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Node secondary = start("sec", data, secret, "secondary");
        Node primary = null;
        FileTransferClient[] clients = new FileTransferClient[CLIENTS];
        try {
            primary = start("prim", data, secret, "127.0.0.1:" + secondary.port());
            awaitLink(primary);
            Path home = data.resolve(USER);
            List<String> sums = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                byte[] bytes = new byte[FILE_SIZE];
                new Random(i).nextBytes(bytes);
                Path f = Files.createDirectories(home.resolve("load")).resolve("f" + i + ".bin");
                Files.write(f, bytes);
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
                sums.add(MultiPathHosts.sha256(f));
            }
            for (int c = 0; c < CLIENTS; c++) {
                clients[c] = new FileTransferClient();
            }
            // warm-up: every client once, so pools, caches and thread pools are at their working size
            runFor(clients, primary, secondary, sums, 0, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            Usage primaryBefore = Usage.of(primary.process());
            Usage secondaryBefore = Usage.of(secondary.process());

            List<Long> downloadMs = Collections.synchronizedList(new ArrayList<>());
            List<Double> chunkMs = Collections.synchronizedList(new ArrayList<>());
            List<Long> chunkLatencyNs = Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            int done = runFor(clients, primary, secondary, sums, seconds, downloadMs, chunkMs, chunkLatencyNs);
            double elapsed = (System.nanoTime() - t0) / 1e9;

            for (FileTransferClient c : clients) {
                c.close();
            }
            // the clients closed their connections; the hosts end those sessions on their own time: wait until
            // they are back within the bounds asserted below (a leak never gets there)
            Usage[] after = new Usage[2];
            Node primaryNode = primary;
            try {
                Poll.until("hosts back to their resources before the run", Poll.PATIENCE, Duration.ofSeconds(1), () -> {
                    after[0] = Usage.ofUnchecked(primaryNode.process());
                    after[1] = Usage.ofUnchecked(secondary.process());
                    return after[0].within(primaryBefore) && after[1].within(secondaryBefore);
                }, () -> "");
            } catch (java.util.concurrent.TimeoutException e) {
                // the assertions below name what did not come back
            }
            Usage primaryAfter = after[0];
            Usage secondaryAfter = after[1];

            String report = String.format(Locale.ROOT,
                    "LoadIT: %d clients, %d s, %d downloads of %d MiB (%.1f MiB/s in all), primary + 1 secondary, "
                            + "alternate%n"
                            + "download latency ms: p50 %d, p99 %d, max %d%n"
                            + "chunk interval ms (download time / chunks, 1 MiB chunks): p50 %.1f, p99 %.1f%n"
                            + "chunk latency ms (client: first byte of the chunk's stream -> verified, written, "
                            + "ACKed), %d chunks: p50 %.1f, p99 %.1f, max %.1f%n"
                            + "primary   before %s%n          after  %s%n"
                            + "secondary before %s%n          after  %s%n",
                    CLIENTS, seconds, done, FILE_SIZE >> 20, done * (double) (FILE_SIZE >> 20) / elapsed,
                    percentile(downloadMs, 50), percentile(downloadMs, 99), Collections.max(downloadMs),
                    percentileD(chunkMs, 50), percentileD(chunkMs, 99),
                    chunkLatencyNs.size(), percentile(chunkLatencyNs, 50) / 1e6, percentile(chunkLatencyNs, 99) / 1e6,
                    Collections.max(chunkLatencyNs) / 1e6,
                    primaryBefore, primaryAfter, secondaryBefore, secondaryAfter);
            System.out.print(report);
            Files.writeString(Path.of("target", "load-results.txt"), report, StandardCharsets.UTF_8);

            assertThat(done).as("downloads completed").isGreaterThanOrEqualTo(CLIENTS);
            assertThat(chunkLatencyNs).as("every chunk's latency measured").hasSize(done * (FILE_SIZE >> 20));
            for (Usage[] pair : new Usage[][] {{primaryBefore, primaryAfter}, {secondaryBefore, secondaryAfter}}) {
                assertThat(pair[1].fds()).as("open files").isLessThanOrEqualTo(pair[0].fds() + Usage.MORE_FDS);
                assertThat(pair[1].threads()).as("threads").isLessThanOrEqualTo(pair[0].threads() + Usage.MORE_THREADS);
                assertThat(pair[1].otherKb()).as("native Other (direct buffers), KiB")
                        .isLessThanOrEqualTo(pair[0].otherKb() + Usage.MORE_OTHER_KB);
            }
        } finally {
            for (FileTransferClient c : clients) {
                if (c != null) {
                    c.close();
                }
            }
            if (primary != null) {
                primary.process().close();
            }
            secondary.process().close();
        }
    }

    /** Every client downloads in a loop until the time is up (0: once each); returns the downloads done. */
    private int runFor(FileTransferClient[] clients, Node primary, Node secondary, List<String> sums, int seconds,
                       List<Long> downloadMs, List<Double> chunkMs, List<Long> chunkLatencyNs) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients.length);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients.length; c++) {
                int id = c;
                futures.add(pool.submit(() -> {
                    int round = 0;
                    do {
                        int file = (id + round) % FILES;
                        Path out = work.resolve("out/c" + id + "/f" + file + "-" + round + ".bin");
                        Files.createDirectories(out.getParent());
                        long t = System.nanoTime();
                        DownloadResult r = clients[id].download(request(primary, secondary, "load/f" + file + ".bin", out),
                                p -> { });
                        long ms = (System.nanoTime() - t) / 1_000_000;
                        downloadMs.add(ms);
                        chunkMs.add(ms / (double) Math.max(1, r.chunks()));
                        for (long ns : r.chunkLatencies().sortedNanos()) {
                            chunkLatencyNs.add(ns);
                        }
                        assertThat(r.sha256()).isEqualTo(sums.get(file));
                        assertThat(MultiPathHosts.sha256(out)).as("file on disk").isEqualTo(sums.get(file));
                        Files.delete(out);
                        done.incrementAndGet();
                        round++;
                    } while (System.nanoTime() < end);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(); // a failed or corrupt download fails the test here
            }
        } finally {
            pool.shutdownNow();
        }
        return done.get();
    }

    private DownloadRequest request(Node primary, Node secondary, String path, Path out) {
        HostKeyVerifier pinned = CertificatePins.trusting(primary.fingerprint(), secondary.fingerprint());
        return new DownloadRequest(USER, "127.0.0.1", primary.port(), path, out,
                new Credentials.Password(PASSWORD.toCharArray()), pinned, Strategy.ALTERNATE, false,
                DownloadRequest.DEFAULT_RETRIES, false);
    }

    private Node start(String name, Path data, Path secret, String roleOrSecondaries) throws Exception {
        HostProcess.Builder b = HostProcess.builder(work.resolve(name))
                .user(HostProcess.User.withPassword(USER, PASSWORD))
                .withPlugin()
                .dataDir(data)
                .echoOutput(false)
                .javaOption("-Xmx512m")
                .javaOption("-XX:NativeMemoryTracking=summary")
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()))
                .pluginProperty("mpft.name", name)
                .pluginProperty("mpft.chunk-size", "1m")
                .pluginProperty("mpft.max-sessions", "200")
                .pluginProperty("mpft.max-sessions-per-user", "200")
                // all fifty clients connect from 127.0.0.1 at once: the budget of connections not yet logged
                // in must hold them (its small per-source default is for real sources; PreLoginLimitsIT tests it)
                .pluginProperty("mpft.max-unauthenticated", "200")
                .pluginProperty("mpft.max-unauthenticated-per-source", "200")
                .pluginProperty("mpft.cluster.secret-file", secret.toString());
        if (roleOrSecondaries.equals("secondary")) {
            b.pluginProperty("mpft.role", "secondary").pluginProperty("mpft.cluster.accept-primaries", "127.0.0.1");
        } else {
            b.pluginProperty("mpft.role", "primary").pluginProperty("mpft.secondaries", roleOrSecondaries);
        }
        HostProcess p = b.start();
        HostProcess.MpftListener listener = p.awaitMpftListener(Duration.ofSeconds(60));
        return new Node(p, listener.port(), listener.certificateSha256());
    }

    private static void awaitLink(Node primary) throws Exception {
        Poll.until("cluster link up", Poll.PATIENCE, () -> primary.process().output().lines()
                .anyMatch(l -> l.contains("cluster link to secondary") && l.contains(" up;")), primary.process()::output);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static double percentileD(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** A host process's open files, threads and NMT "Other" committed memory (direct buffers). */
    record Usage(int fds, int threads, long otherKb) {
        /** What a host may hold after the run beyond what it held before: open files, threads, native KiB. */
        static final int MORE_FDS = 8;
        static final int MORE_THREADS = 8;
        static final long MORE_OTHER_KB = 64 * 1024;

        /** Whether this is within the bounds above of {@code before}. */
        boolean within(Usage before) {
            return fds <= before.fds + MORE_FDS && threads <= before.threads + MORE_THREADS
                    && otherKb <= before.otherKb + MORE_OTHER_KB;
        }

        static Usage ofUnchecked(HostProcess host) {
            try {
                return of(host);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static Usage of(HostProcess host) throws IOException, InterruptedException {
            long pid = host.process().pid();
            run("jcmd", Long.toString(pid), "GC.run");
            int fds;
            try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = (int) s.count();
            }
            int threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("Threads:")).mapToInt(l -> Integer.parseInt(l.substring(8).trim()))
                    .findFirst().orElse(-1);
            String nmt = run("jcmd", Long.toString(pid), "VM.native_memory", "summary");
            Matcher m = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)").matcher(nmt);
            long other = m.find() ? Long.parseLong(m.group(1)) : 0;
            return new Usage(fds, threads, other);
        }

        @Override
        public String toString() {
            return "open files " + fds + ", threads " + threads + ", native Other " + otherKb / 1024 + " MiB";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
