package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Batch;
import org.mpft.client.BatchFile;
import org.mpft.client.BatchListener;
import org.mpft.client.BatchProgress;
import org.mpft.client.BatchRequest;
import org.mpft.client.BatchResult;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileOutcome;
import org.mpft.client.FileTransferClient;
import org.mpft.client.PathSummary;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Strategy;

/**
 * Many files in one run through the library ({@link FileTransferClient#downloadBatch}): a real demo host with
 * the real plugin jar over real QUIC. Several files go over each logged-in session (the plugin's login counter
 * says how many logins a batch made), refused files are reported while the rest arrive, fail-fast stops, and a
 * cancelled batch run again fetches only what was missing (the plugin's transfer log says which files it sent).
 */
@Timeout(300)
class BatchDownloadIT {

    private static final int METRICS_PORT = FreePorts.tcp();
    private static final long MTIME = 1_700_000_000_000L;
    private static final int MIB = 1 << 20;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", "alice-pw").read("/tree", "/again", "/small"))
            .pluginProperty("mpft.chunk-size", "1m")
            .pluginProperty("mpft.metrics.bind", "127.0.0.1:" + METRICS_PORT)
            .holdChunks()
            .build();

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aNestedTreeArrivesByteForByteWithTimesAndModesOverFewLogins() throws Exception {
        List<BatchFile> files = tree("tree", 300, 11, true);
        Path out = work.resolve("out");
        List<FileOutcome> heard = new CopyOnWriteArrayList<>();
        List<BatchProgress> progress = new CopyOnWriteArrayList<>();
        double loginsBefore = logins();

        BatchResult result = host.client().downloadBatch(request(files, out).preserveModes(true).sessions(4).build(),
                listener(progress, heard));

        assertThat(result.failures()).isEmpty();
        assertThat(result.skipped()).isEmpty();
        assertThat(result.worstError()).isNull();
        assertThat(result.files()).hasSize(files.size());
        for (BatchFile file : files) {
            Path source = host.home("alice").resolve(file.remotePath());
            assertThat(Files.mismatch(file.output(), source)).as(file.remotePath()).isEqualTo(-1);
            assertThat(Files.getLastModifiedTime(file.output())).isEqualTo(Files.getLastModifiedTime(source));
            assertThat(Files.getPosixFilePermissions(file.output())).isEqualTo(Files.getPosixFilePermissions(source));
        }
        assertThat(Files.getPosixFilePermissions(out.resolve("d1/e1/f0001.dat")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(out.resolve(".mpft-batch")).doesNotExist(); // the finished tree is exactly the server's
        try (Stream<Path> all = Files.walk(out)) {
            assertThat(all.filter(Files::isRegularFile).count()).isEqualTo(files.size());
        }
        assertThat(logins() - loginsBefore).isBetween(1.0, 4.0); // four sessions for 302 files
        FileOutcome big = result.files().stream().filter(o -> o.file().remotePath().equals("tree/big/a.bin"))
                .findFirst().orElseThrow();
        assertThat(big.result().chunks()).isEqualTo(4);
        assertThat(heard).hasSize(files.size());
        BatchProgress last = progress.get(progress.size() - 1);
        assertThat(last.filesDone()).isEqualTo(files.size());
        assertThat(last.filesTotal()).isEqualTo(files.size());
        assertThat(last.bytesDone()).isEqualTo(last.bytesTotal());
    }

    @Test
    void refusedFilesAreReportedWhileTheRestArriveOnTheSameSession() throws Exception {
        List<BatchFile> files = new ArrayList<>(tree("small", 30, 12, false));
        Path out = work.resolve("out");
        host.randomFile("secret/hidden.bin", 1000, 1);
        files.add(new BatchFile("small/nope.bin", out.resolve("nope.bin"), 5, MTIME, -1));
        files.add(new BatchFile("secret/hidden.bin", out.resolve("hidden.bin"), 1000, MTIME, -1));
        double loginsBefore = logins();

        BatchResult result = host.client().downloadBatch(request(files, out).sessions(1).build(),
                BatchListener.NONE);

        assertThat(result.failures()).extracting(o -> o.file().remotePath(), o -> o.error().code())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("small/nope.bin", ErrorCode.FILE_NOT_FOUND),
                        org.assertj.core.groups.Tuple.tuple("secret/hidden.bin", ErrorCode.ACCESS_DENIED));
        assertThat(result.worstError().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        assertThat(result.files().stream().filter(o -> o.result() != null)).hasSize(30);
        for (BatchFile file : files.subList(0, 30)) {
            assertThat(Files.mismatch(file.output(), host.home("alice").resolve(file.remotePath()))).isEqualTo(-1);
        }
        assertThat(out.resolve("nope.bin")).doesNotExist();
        assertThat(logins() - loginsBefore).isEqualTo(1.0); // the refusals did not cost the session
        // the batch did not succeed: its manifest stays for the next run
        assertThat(Files.readAllLines(out.resolve(".mpft-batch"))).hasSize(30);
    }

    @Test
    void failFastStopsAtTheFirstFailedFile() throws Exception {
        List<BatchFile> files = new ArrayList<>(tree("small", 30, 12, false));
        Path out = work.resolve("out");
        // listed as the biggest file: the only session takes it first
        files.add(new BatchFile("small/missing.bin", out.resolve("missing.bin"), 1L << 40, MTIME, -1));

        // small files are pipelined behind it: held at the server, none can finish before the refusal stops the batch
        host.closeGate();
        BatchResult result;
        try {
            result = host.client().downloadBatch(request(files, out).sessions(1).failFast(true).build(),
                    BatchListener.NONE);
        } finally {
            host.openGate();
        }

        assertThat(result.worstError().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        assertThat(result.failures()).hasSize(files.size());
        assertThat(result.failures()).filteredOn(o -> o.error().code() == ErrorCode.CANCELLED).hasSize(30);
        for (BatchFile file : files) {
            assertThat(file.output()).doesNotExist();
        }
    }

    @Test
    void aCancelledBatchRunAgainFetchesOnlyWhatWasMissing() throws Exception {
        List<BatchFile> files = tree("again", 200, 13, false);
        Path out = work.resolve("out");
        AtomicInteger ended = new AtomicInteger();
        BatchListener closeGateAt40 = new BatchListener() {
            @Override
            public void onProgress(BatchProgress p) {
            }

            @Override
            public void onFileDone(FileOutcome outcome) {
                if (ended.incrementAndGet() == 40) {
                    try {
                        host.closeGate(); // the transfers under way now hold until the cancel
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        BatchResult first;
        try {
            Batch batch = host.client().startBatch(request(files, out).sessions(2).build(), closeGateAt40);
            Poll.until("40 files done", Poll.PATIENCE, () -> batch.progress().filesDone() >= 40);
            Poll.until("a transfer held at the gate", Poll.PATIENCE, () -> !batch.progress().running().isEmpty());
            batch.cancel();
            first = batch.await();
        } finally {
            host.openGate();
        }
        List<String> finished = first.files().stream().filter(FileOutcome::ok).map(o -> o.file().remotePath())
                .toList();
        assertThat(finished.size()).isBetween(40, files.size() - 1);
        assertThat(first.failures()).allSatisfy(o -> assertThat(o.error().code()).isEqualTo(ErrorCode.CANCELLED));
        assertThat(out.resolve(".mpft-batch")).exists();

        BatchResult second = host.client().downloadBatch(request(files, out).sessions(2).build(), BatchListener.NONE);

        assertThat(second.failures()).isEmpty();
        assertThat(second.skipped()).extracting(o -> o.file().remotePath())
                .containsExactlyInAnyOrderElementsOf(finished);
        for (BatchFile file : files) {
            assertThat(Files.mismatch(file.output(), host.home("alice").resolve(file.remotePath()))).isEqualTo(-1);
        }
        assertThat(out.resolve(".mpft-batch")).doesNotExist();
        // the server sent every file once: the finished ones were not sent again
        Poll.until("a done line per file", Poll.PATIENCE, () -> doneLines("again/").size() >= files.size(),
                host::output);
        assertThat(doneLines("again/")).hasSize(files.size()).doesNotHaveDuplicates();
    }

    @Test
    void aSingleDownloadKeepsTheServersModificationTime() throws Exception {
        Path source = host.randomFile("small/one.bin", 3 * MIB + 5, 5);
        Files.setLastModifiedTime(source, FileTime.fromMillis(MTIME + 123_000));
        Path output = work.resolve("one.bin");

        DownloadResult result = host.client().download(host.request("small/one.bin", output, false), p -> { });

        assertThat(result.chunks()).isEqualTo(4);
        assertThat(Files.getLastModifiedTime(output)).isEqualTo(FileTime.fromMillis(MTIME + 123_000));
    }

    @Test
    void aBigFileOfABatchUsesTheSecondaryToo() throws Exception {
        try (MultiPathHosts hosts = new MultiPathHosts(work.resolve("hosts"));
             FileTransferClient client = new FileTransferClient()) {
            Path secret = hosts.secret("cluster.secret", "z".repeat(48));
            MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
            MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
            MultiPathHosts.awaitLinks(primary, 1);
            Path out = work.resolve("mp");
            List<BatchFile> files = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Path source = MultiPathHosts.randomFile(hosts.home(), "set/s" + i + ".bin", 1000 + i, i);
                files.add(new BatchFile("set/s" + i + ".bin", out.resolve("s" + i + ".bin"), Files.size(source),
                        MTIME, -1));
            }
            MultiPathHosts.randomFile(hosts.home(), "set/big.bin", 8 * MIB + 1, 99);
            files.add(new BatchFile("set/big.bin", out.resolve("big.bin"), 8 * MIB + 1, MTIME, -1));
            DownloadRequest connection = hosts.request(primary, ".", out, Strategy.ALTERNATE);

            BatchResult result = client.downloadBatch(BatchRequest.builder(connection, files).sessions(2).build(),
                    BatchListener.NONE);

            assertThat(result.failures()).isEmpty();
            for (BatchFile file : files) {
                assertThat(Files.mismatch(file.output(), hosts.home().resolve(file.remotePath()))).isEqualTo(-1);
            }
            DownloadResult big = result.files().get(10).result();
            assertThat(big.paths()).extracting(PathSummary::role).containsExactly("primary", "secondary");
            assertThat(big.paths()).allSatisfy(p -> assertThat(p.bytes()).isPositive());
        }
    }

    /** Source files under {@code folder} of alice's home (created once per folder), and where each goes. */
    private List<BatchFile> tree(String folder, int count, long seed, boolean withBig) throws IOException {
        Path home = host.home("alice");
        Path out = work.resolve("out");
        List<BatchFile> files = new ArrayList<>();
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            String relative = String.format("d%d/e%d/f%04d.dat", i % 7, i % 3, i);
            byte[] bytes = new byte[random.nextInt(16_000)];
            random.nextBytes(bytes);
            files.add(source(home, folder, relative, bytes, MTIME + i * 1000L, i == 1 ? "rwxr-x---" : "rw-r--r--",
                    out));
        }
        if (withBig) {
            byte[] a = new byte[3 * MIB + 512 * 1024];
            random.nextBytes(a);
            files.add(source(home, folder, "big/a.bin", a, MTIME + 7, "rw-------", out));
            byte[] b = new byte[2 * MIB + 3];
            random.nextBytes(b);
            files.add(source(home, folder, "big/b.bin", b, MTIME + 8, "rw-r-----", out));
        }
        return files;
    }

    private static BatchFile source(Path home, String folder, String relative, byte[] bytes, long mtime, String mode,
                                    Path out) throws IOException {
        Path file = home.resolve(folder).resolve(relative);
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        }
        return new BatchFile(folder + "/" + relative, out.resolve(relative), Files.size(file),
                Files.getLastModifiedTime(file).toMillis(), mode(Files.getPosixFilePermissions(file)));
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ (0) is 0400 ... OTHERS_EXECUTE (8) is 01
        }
        return mode;
    }

    private static BatchRequest.Builder request(List<BatchFile> files, Path out) {
        return BatchRequest.builder(host.request("unused", out, false), files);
    }

    private static BatchListener listener(List<BatchProgress> progress, List<FileOutcome> heard) {
        return new BatchListener() {
            @Override
            public void onProgress(BatchProgress p) {
                progress.add(p);
            }

            @Override
            public void onFileDone(FileOutcome outcome) {
                heard.add(outcome);
            }
        };
    }

    /** The files of the plugin's "done" lines (one per file sent whole) under {@code prefix}, in log order. */
    private static List<String> doneLines(String prefix) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("transfer \\d+ done: user=\\S+ file=(\\S+) ").matcher(host.output());
        while (m.find()) {
            if (m.group(1).contains(prefix)) {
                names.add(m.group(1));
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** The plugin's count of accepted logins. */
    private double logins() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + METRICS_PORT + "/metrics")).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^mpft_logins_total\\{result=\"ok\"} (\\S+)$").matcher(response.body());
        assertThat(m.find()).as(response.body()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
