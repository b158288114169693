package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The plugin's limits over the network, against one real host: sessions per user and in total, file
 * size, and the failed-login back-off (per user name and per source address; every failure logged, never
 * the password). Reaching a limit answers at once with a clear error, and the server keeps serving.
 *
 * <p>Downloads that must still be running are held open by the server, not hoped to be slow: the host runs
 * with the test hook {@code mpft.test.hold-chunks-until} ({@link MpftHost#closeGate()}), so no chunk leaves
 * it while the gate is closed. A refusal that comes while the gate is closed therefore came while the other sessions
 * were open (a server that waited for a free slot instead would hang the test).
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LimitsIT {

    /** The held downloads' files: a few chunks each. */
    private static final int HELD = 1 << 20;

    /** The first lock after the free failures: far longer than the two logins the test makes inside it. */
    private static final String BACKOFF_BASE = "15s";

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", "alice-pw"))
            .user(HostProcess.User.withPassword("bob", "bob-pw"))
            .user(HostProcess.User.withPassword("carol", "carol-pw"))
            .user(HostProcess.User.withPassword("dave", "dave-pw"))
            .pluginProperty("mpft.chunk-size", "256k")
            .pluginProperty("mpft.max-sessions", "3")
            .pluginProperty("mpft.max-sessions-per-user", "2")
            .pluginProperty("mpft.max-file-size", "12m")
            .pluginProperty("mpft.auth-failure-delay", "100ms")
            .pluginProperty("mpft.auth.backoff.base", BACKOFF_BASE)
            .pluginProperty("mpft.auth.backoff.max", "30s")
            .pluginProperty("mpft.auth.backoff.free-failures", "2")
            .holdChunks()
            .quiet()
            .build();

    @BeforeAll
    static void files() throws Exception {
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            Path home = host.home(user);
            byte[] bytes = new byte[HELD];
            new Random(user.hashCode()).nextBytes(bytes);
            for (int i = 1; i <= 2; i++) {
                Files.write(home.resolve("held" + i + ".bin"), bytes); // one file per download: no cache hits
            }
            Files.write(home.resolve("small.bin"), new byte[1000]);
            Files.write(home.resolve("big.bin"), new byte[(12 << 20) + 1]);
        }
    }

    @Test
    @Order(1)
    void aFileOverTheSizeLimitIsRefusedClearly() throws Exception {
        assertThat(outcome("alice", "alice-pw", "small.bin")).isNull();
        assertThat(outcome("alice", "alice-pw", "big.bin")).isEqualTo(ErrorCode.FILE_TOO_LARGE);
        assertThat(lastError).contains("big.bin").contains("limit");
    }

    @Test
    @Order(2)
    void sessionsPerUserAndInTotalAreLimitedAndFreedWhenTheyEnd() throws Exception {
        host.closeGate(); // from here on the downloads below stay open until the gate opens
        // one after the other: a login of alice while another of hers from this address is checked is busy
        CompletableFuture<ErrorCode> a1 = CompletableFuture.supplyAsync(() -> heldDownload("alice", "1"), POOL);
        awaitTransferStarted("alice", "held1.bin", a1);
        CompletableFuture<ErrorCode> a2 = CompletableFuture.supplyAsync(() -> heldDownload("alice", "2"), POOL);
        awaitTransferStarted("alice", "held2.bin", a2);
        assertThat(a1).as("alice's first download held open").isNotDone();
        assertThat(a2).as("alice's second download held open").isNotDone();
        assertThat(outcome("alice", "alice-pw", "small.bin")).as("alice's third session").isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(lastError).contains("alice").contains("mpft.max-sessions-per-user");
        CompletableFuture<ErrorCode> b1 = CompletableFuture.supplyAsync(() -> heldDownload("bob", "1"), POOL);
        awaitTransferStarted("bob", "held1.bin", b1);
        assertThat(List.of(a1, a2, b1)).as("three downloads held open").noneMatch(CompletableFuture::isDone);
        assertThat(outcome("carol", "carol-pw", "small.bin")).as("a fourth session in all").isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(lastError).contains("sessions at most");
        assertThat(List.of(a1, a2, b1)).as("refused while the three were open").noneMatch(CompletableFuture::isDone);
        host.openGate(); // release the held downloads
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
        assertThat(outcome("dave", wrong, "small.bin")).isEqualTo(ErrorCode.AUTHENTICATION_FAILED); // 3rd: locks
        // now even the right password is refused without being checked, for dave and from this address (the
        // message says it was the lock, not the password)
        assertThat(outcome("dave", "dave-pw", "small.bin")).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(lastError).contains("too many failed logins");
        assertThat(outcome("alice", "alice-pw", "small.bin")).as("another user from the same address")
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(lastError).contains("too many failed logins");
        // the lock ends by itself (logins refused by the lock do not extend it): dave is served again
        Poll.until("dave's login after the lock", Poll.PATIENCE, Duration.ofMillis(500),
                () -> quietOutcome("dave", "dave-pw") == null, host::output);
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
        return HostProcess.count(text, what);
    }

    /** Waits until the host logged the start of {@code user}'s transfer of {@code file} (its session is counted). */
    private static void awaitTransferStarted(String user, String file, CompletableFuture<ErrorCode> download)
            throws Exception {
        Poll.until(user + " downloading " + file, Poll.PATIENCE, () -> {
            if (download.isDone()) {
                throw new java.util.concurrent.TimeoutException(user + "'s download of " + file + " ended while held: "
                        + download.join() + " " + lastError);
            }
            return host.output().contains(": " + user + " downloads " + file + " (");
        }, host::output);
    }

    private static ErrorCode heldDownload(String user, String tag) {
        try {
            return outcome(user, user + "-pw", "held" + tag + ".bin", tag);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #outcome} of small.bin for a poll: AUTHENTICATION_FAILED while locked, null once served. */
    private static ErrorCode quietOutcome(String user, String password) {
        try {
            return outcome(user, password, "small.bin");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ErrorCode outcome(String user, String password, String path) throws Exception {
        return outcome(user, password, path, Long.toString(System.nanoTime()));
    }

    /** The download's error code, or null when it arrived. */
    private static ErrorCode outcome(String user, String password, String path, String tag) throws Exception {
        Path out = host.work().resolve("out/" + user + "-" + tag + "-" + System.nanoTime() + "-" + path);
        Files.createDirectories(out.getParent());
        try {
            host.client().download(host.request(user, password, path, out, false), p -> { });
            assertThat(Files.size(out)).isEqualTo(Files.size(host.home(user).resolve(path)));
            return null;
        } catch (MpftException e) {
            lastError = e.getMessage();
            return e.code();
        }
    }
}
