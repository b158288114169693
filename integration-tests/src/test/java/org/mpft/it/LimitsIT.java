package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.FileTransferClient;
import org.mpft.client.HostKeyVerifier;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

/**
 * The plugin's limits over the network, against one real host: sessions per user and in total, file
 * size, and the failed-login back-off (per user name and per source address; every failure logged, never
 * the password). Reaching a limit answers at once with a clear error, and the server keeps serving.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsIT {

    private static final int SLOW = 10 << 20;

    @TempDir
    static Path work;

    static HostProcess host;
    static FileTransferClient client;
    static int port;
    static String fingerprint;

    @BeforeAll
    static void start() throws Exception {
        host = HostProcess.builder(work.resolve("host"))
                .user(HostProcess.User.withPassword("alice", "alice-pw"))
                .user(HostProcess.User.withPassword("bob", "bob-pw"))
                .user(HostProcess.User.withPassword("carol", "carol-pw"))
                .user(HostProcess.User.withPassword("dave", "dave-pw"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()))
                .pluginProperty("mpft.chunk-size", "256k")
                .pluginProperty("mpft.max-send-rate", "1m")     // keeps the slow downloads open a few seconds
                .pluginProperty("mpft.max-sessions", "3")
                .pluginProperty("mpft.max-sessions-per-user", "2")
                .pluginProperty("mpft.max-file-size", "12m")
                .pluginProperty("mpft.auth-failure-delay", "100ms")
                .pluginProperty("mpft.auth.backoff.base", "3s")
                .pluginProperty("mpft.auth.backoff.max", "6s")
                .pluginProperty("mpft.auth.backoff.free-failures", "2")
                .echoOutput(false)
                .start();
        HostProcess.MpftListener listener = host.awaitMpftListener(Duration.ofSeconds(60));
        port = listener.port();
        fingerprint = listener.certificateSha256();
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            Path home = Files.createDirectories(host.home(user));
            byte[] bytes = new byte[SLOW];
            new Random(user.hashCode()).nextBytes(bytes);
            for (int i = 1; i <= 2; i++) {
                Files.write(home.resolve("slow" + i + ".bin"), bytes); // one file per download: no cache hits
            }
            Files.write(home.resolve("small.bin"), new byte[1000]);
            Files.write(home.resolve("big.bin"), new byte[(12 << 20) + 1]);
        }
        client = new FileTransferClient();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @Test
    @Order(1)
    void aFileOverTheSizeLimitIsRefusedClearly() throws Exception {
        assertThat(outcome("alice", "alice-pw", "small.bin")).isNull();
        long t0 = System.nanoTime();
        assertThat(outcome("alice", "alice-pw", "big.bin")).isEqualTo(ErrorCode.FILE_TOO_LARGE);
        assertThat(lastError).contains("big.bin").contains("limit");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void sessionsPerUserAndInTotalAreLimitedAndFreedWhenTheyEnd() throws Exception {
        CompletableFuture<ErrorCode> a1 = CompletableFuture.supplyAsync(() -> slowOf("alice", "1"), POOL);
        CompletableFuture<ErrorCode> a2 = CompletableFuture.supplyAsync(() -> slowOf("alice", "2"), POOL);
        awaitSessions(2);
        assertThat(a1).as("alice's first download still running").isNotDone();
        assertThat(a2).as("alice's second download still running").isNotDone();
        long t0 = System.nanoTime();
        assertThat(outcome("alice", "alice-pw", "small.bin")).as("alice's third session").isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(lastError).contains("alice").contains("mpft.max-sessions-per-user");
        CompletableFuture<ErrorCode> b1 = CompletableFuture.supplyAsync(() -> slowOf("bob", "1"), POOL);
        awaitSessions(3);
        assertThat(List.of(a1, a2, b1)).as("three downloads still running").noneMatch(CompletableFuture::isDone);
        assertThat(outcome("carol", "carol-pw", "small.bin")).as("a fourth session in all").isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(lastError).contains("sessions at most");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("refusals come at once").isLessThan(Duration.ofSeconds(10));
        assertThat(a1.get()).isNull();
        assertThat(a2.get()).isNull();
        assertThat(b1.get()).isNull();
        // the sessions ended: everyone is served again
        assertThat(outcome("carol", "carol-pw", "small.bin")).isNull();
        assertThat(outcome("alice", "alice-pw", "small.bin")).isNull();
    }

    @Test
    @Order(3)
    void failedLoginsBackOffPerUserAndAddressAndAreLoggedWithoutThePassword() throws Exception {
        String wrong = "wrong-pw-" + System.nanoTime();
        assertThat(outcome("dave", wrong, "small.bin")).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(outcome("dave", wrong, "small.bin")).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(outcome("dave", wrong, "small.bin")).isEqualTo(ErrorCode.AUTHENTICATION_FAILED); // 3rd: locks 3 s
        long locked = System.nanoTime();
        // now even the right password is refused without being checked, for dave and from this address
        assertThat(outcome("dave", "dave-pw", "small.bin")).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(lastError).contains("too many failed logins");
        assertThat(outcome("alice", "alice-pw", "small.bin")).as("another user from the same address")
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(Duration.ofNanos(System.nanoTime() - locked)).isLessThan(Duration.ofSeconds(3));
        Thread.sleep(3500);
        assertThat(outcome("dave", "dave-pw", "small.bin")).as("after the lock").isNull();
        assertThat(outcome("alice", "alice-pw", "small.bin")).isNull();

        String log = host.output();
        assertThat(log).contains("login of 'dave' from").contains("refused");
        assertThat(count(log, "login of 'dave' from")).as("every failure logged").isGreaterThanOrEqualTo(4);
        assertThat(log).doesNotContain(wrong).doesNotContain("dave-pw").doesNotContain("alice-pw");
    }

    static volatile String lastError;

    /** Threads of their own for the background downloads (the common pool has one thread on two cores). */
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(4);

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Gives the background downloads time to log in and start (each runs for 10+ s at the capped rate). */
    private static void awaitSessions(int n) throws Exception {
        Thread.sleep(1500);
    }

    private static ErrorCode slowOf(String user, String tag) {
        try {
            return outcome(user, user + "-pw", "slow" + ("2".equals(tag) ? 2 : 1) + ".bin", tag);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ErrorCode outcome(String user, String password, String path) throws Exception {
        return outcome(user, password, path, Long.toString(System.nanoTime()));
    }

    /** The download's error code, or null when it arrived. */
    private static ErrorCode outcome(String user, String password, String path, String tag) throws Exception {
        Path out = work.resolve("out/" + user + "-" + tag + "-" + System.nanoTime() + "-" + path);
        Files.createDirectories(out.getParent());
        HostKeyVerifier pinned = CertificatePins.trusting(fingerprint);
        DownloadRequest request = new DownloadRequest(user, "127.0.0.1", port, path, out,
                new Credentials.Password(password.toCharArray()), pinned, Strategy.SERVER_DEFAULT, false,
                DownloadRequest.DEFAULT_RETRIES, false);
        try {
            client.download(request, p -> { });
            assertThat(Files.size(out)).isEqualTo(Files.size(host.home(user).resolve(path)));
            return null;
        } catch (MpftException e) {
            lastError = e.getMessage();
            return e.code();
        }
    }
}
