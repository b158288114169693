package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Credentials;
import org.mpft.client.Download;
import org.mpft.client.ProgressListener;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.client.HostKeyVerifier;
import org.mpft.client.PathSummary;
import org.mpft.client.TransferProgress;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

/**
 * Single-path downloads end to end: a real host process with the real plugin jar in its plugins folder,
 * and {@link FileTransferClient} in this JVM over real QUIC on loopback.
 */
@Timeout(180)
class DownloadIT {


    @TempDir
    static Path work;

    private static HostProcess host;
    private static FileTransferClient client;
    private static int port;
    private static String fingerprint;

    @BeforeAll
    static void startHost() throws Exception {
        host = HostProcess.builder(work.resolve("host"))
                .user(HostProcess.User.withPassword("alice", "secret-pw"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()))
                .pluginProperty("mpft.chunk-size", "1m")
                .start();
        HostProcess.MpftListener listener = host.awaitMpftListener(Duration.ofSeconds(30));
        assertThat(listener.role()).isEqualTo("primary");
        port = listener.port();
        fingerprint = listener.certificateSha256();
        Files.createDirectories(host.home("alice").resolve("data"));
        client = new FileTransferClient();
    }

    @AfterAll
    static void stopHost() {
        if (client != null) {
            client.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @Test
    void smallFileArrivesIdentical() throws Exception {
        Path source = randomFile("data/small.bin", 500 * 1000, 1);
        Path output = work.resolve("out/small.bin");
        Files.createDirectories(output.getParent());

        List<TransferProgress> updates = new CopyOnWriteArrayList<>();
        DownloadResult result = client.download(request("data/small.bin", output, "secret-pw"), updates::add);

        assertThat(sha256(output)).isEqualTo(sha256(source)).isEqualTo(result.sha256());
        assertThat(result.bytes()).isEqualTo(500 * 1000);
        assertThat(result.chunks()).isEqualTo(1); // smaller than a chunk: one chunk
        assertThat(result.retries()).isZero();
        assertThat(result.paths()).singleElement().satisfies(p -> {
            assertThat(p.role()).isEqualTo("primary");
            assertThat(p.server()).isEqualTo("127.0.0.1:" + port);
            assertThat(p.chunkIndices()).containsExactly(0);
        });
        assertThat(updates).isNotEmpty();
        assertThat(updates.get(updates.size() - 1).fraction()).isEqualTo(1.0);
        assertThat(output.resolveSibling("small.bin.mpft-part")).doesNotExist();
        assertThat(output.resolveSibling("small.bin.mpft-state")).doesNotExist();
    }

    @Test
    void fiftyMegabytesArriveIdentical() throws Exception {
        Path source = randomFile("data/fifty.bin", 50 * 1000 * 1000, 2);
        Path output = work.resolve("out/fifty.bin");
        Files.createDirectories(output.getParent());

        DownloadResult result = client.download(request("data/fifty.bin", output, "secret-pw"), p -> { });

        assertThat(sha256(output)).isEqualTo(sha256(source)).isEqualTo(result.sha256());
        int chunks = (50 * 1000 * 1000 + (1 << 20) - 1) >> 20;
        assertThat(result.chunks()).isEqualTo(chunks);
        PathSummary primary = result.paths().get(0);
        assertThat(primary.chunks()).isEqualTo(chunks);
        assertThat(primary.bytes()).isEqualTo(50 * 1000 * 1000);
        assertThat(primary.chunkIndices()).isEqualTo(IntStream.range(0, chunks).boxed().toList());
    }

    @Test
    void cancelKeepsThePartialDownloadAndAResumeFetchesTheRest() throws Exception {
        Path source = randomFile("data/resume.bin", 60 * 1000 * 1000, 3);
        Path output = work.resolve("out/resume.bin");
        Files.createDirectories(output.getParent());

        Download[] running = new Download[1];
        CountDownLatch started = new CountDownLatch(1);
        ProgressListener cancelEarly = p -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (p.receivedChunks() >= 2 && p.receivedChunks() < p.totalChunks()) {
                running[0].cancel(); // on the download's own thread: takes effect before the next chunk
            }
        };
        running[0] = client.start(request("data/resume.bin", output, "secret-pw"), cancelEarly);
        started.countDown();
        MpftException cancelled = null;
        try {
            running[0].await();
        } catch (MpftException e) {
            cancelled = e;
        }
        Assumptions.assumeTrue(cancelled != null, "the download finished before a progress update could cancel it");
        assertThat(cancelled.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(cancelled).hasMessageContaining("data/resume.bin").hasMessageContaining("kept");
        assertThat(output).doesNotExist();
        assertThat(output.resolveSibling("resume.bin.mpft-part")).exists();
        assertThat(output.resolveSibling("resume.bin.mpft-state")).exists();

        DownloadResult result = client.download(request("data/resume.bin", output, "secret-pw"), p -> { });

        assertThat(sha256(output)).isEqualTo(sha256(source)).isEqualTo(result.sha256());
        assertThat(result.resumedChunks()).isPositive();
        assertThat(result.paths().get(0).chunks()).isEqualTo(result.chunks() - result.resumedChunks());
        assertThat(output.resolveSibling("resume.bin.mpft-part")).doesNotExist();
    }

    @Test
    void emptyFileArrivesEmpty() throws Exception {
        Path source = host.home("alice").resolve("data/empty.bin");
        Files.write(source, new byte[0]);
        Path output = work.resolve("out/empty.bin");
        Files.createDirectories(output.getParent());

        DownloadResult result = client.download(request("data/empty.bin", output, "secret-pw"), p -> { });

        assertThat(output).exists().isEmptyFile();
        assertThat(result.chunks()).isZero();
        assertThat(result.sha256()).isEqualTo(sha256(source));
    }

    @Test
    void wrongPasswordIsRefused() {
        Path output = work.resolve("out/refused.bin");
        assertThatThrownBy(() -> client.download(request("data/small.bin", output, "wrong"), p -> { }))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                .hasMessageContaining("alice")
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(output).doesNotExist();
    }

    @Test
    void missingFileIsNamed() {
        Path output = work.resolve("out/missing.bin");
        assertThatThrownBy(() -> client.download(request("data/no-such-file.bin", output, "secret-pw"), p -> { }))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_NOT_FOUND))
                .hasMessageContaining("data/no-such-file.bin");
        assertThat(output).doesNotExist();
    }

    @Test
    void changedCertificateIsRefused() {
        Path output = work.resolve("out/pinned.bin");
        HostKeyVerifier refuse = (server, sha256, vouchedBy) -> {
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "host key for " + server + " changed");
        };
        DownloadRequest request = new DownloadRequest("alice", "127.0.0.1", port, "data/small.bin", output,
                new Credentials.Password("secret-pw".toCharArray()), refuse, Strategy.SERVER_DEFAULT, true,
                DownloadRequest.DEFAULT_RETRIES, false);
        assertThatThrownBy(() -> client.download(request, p -> { }))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                .hasMessageContaining("changed");
    }

    private static DownloadRequest request(String remotePath, Path output, String password) {
        HostKeyVerifier pinned = CertificatePins.trusting(fingerprint);
        return new DownloadRequest("alice", "127.0.0.1", port, remotePath, output,
                new Credentials.Password(password.toCharArray()), pinned, Strategy.SERVER_DEFAULT, true,
                DownloadRequest.DEFAULT_RETRIES, false);
    }

    private static Path randomFile(String relative, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = host.home("alice").resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
