package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.FrameType;
import org.mpft.transport.QuicTransport;

/**
 * A busy server is waited for by the real CLI (its default {@code --wait}), whichever limit made it busy:
 * the budget of connections not logged in (a refused connection is answered LIMIT_EXCEEDED at its HELLO,
 * not dropped unanswered) and {@code mpft.max-sessions-per-user} at its default, with a dozen downloads of
 * one user at once (each login of that user from this address is also checked one at a time: the others
 * are answered busy meanwhile). Each CLI is a separate process; the hosts' gate and the login deadline,
 * not timing, decide when the busy server frees up.
 */
@Timeout(600)
class BusyIsNotFailureIT {

    private static final String PASSWORD = "alice-pw";
    private static final int IDLE = 4;
    private static final int DOWNLOADS = 12;
    /** The default of {@code mpft.max-sessions-per-user}. */
    private static final int MAX_SESSIONS_PER_USER = 8;
    /** CLIs started together. */
    private static final int BATCH = 4;

    /** Room for four connections not logged in, in all; they get 20 s (far more than a CLI's start) to log in. */
    @RegisterExtension
    static final MpftHost preLogin = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD))
            .pluginProperty("mpft.max-unauthenticated", Integer.toString(IDLE))
            .pluginProperty("mpft.max-unauthenticated-per-source", Integer.toString(IDLE))
            .pluginProperty("mpft.login-timeout", "20s")
            .pluginProperty("mpft.idle-timeout", "600s")
            .quiet()
            .build();

    /** Default session limits; every chunk held while the gate is closed. */
    @RegisterExtension
    static final MpftHost sessions = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD))
            .holdChunks()
            .quiet()
            .build();

    static QuicTransport transport;
    static byte[] bytes;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        bytes = new byte[1 << 20];
        new Random(18).nextBytes(bytes);
        Files.write(preLogin.home("alice").resolve("file.bin"), bytes);
        Files.write(sessions.home("alice").resolve("file.bin"), bytes);
        transport = QuicTransport.create("busy", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void aConnectionOverThePreLoginBudgetIsAnsweredBusyAndTheCliWaitsForTheLoginDeadline() throws Exception {
        List<RawConnection> idle = new ArrayList<>();
        Running cli = null;
        try {
            InetSocketAddress attacker = new InetSocketAddress("127.0.0.2", 0);
            for (int i = 0; i < IDLE; i++) {
                idle.add(new RawConnection(transport, attacker, preLogin.port(), FrameType.Link.CONTROL,
                        Duration.ofSeconds(600)));
            }
            Path out = dir.resolve("file.bin");
            cli = start(dir.resolve("cli"), preLogin.port(), out);
            Running run = cli;
            Poll.until("the CLI says the server is busy", Poll.PATIENCE,
                    () -> errContains(run, "server busy, retrying in") || !run.process().isAlive(),
                    () -> preLogin.output());
            assertThat(run.err()).as("busy, not 'no answer'").contains("server busy, retrying in")
                    .doesNotContain("no answer");
            assertThat(run.process().isAlive()).as("still waiting: " + run.err()).isTrue();
            assertThat(preLogin.output()).contains("refused (answered busy)");
            assertThat(run.process().waitFor(240, TimeUnit.SECONDS)).as(run.err()).isTrue();
            assertThat(run.process().exitValue()).as(run.err()).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
            Poll.until("the idle connections are closed by the login deadline", Poll.PATIENCE,
                    () -> idle.stream().noneMatch(c -> c.connection.isActive()), preLogin::output);
        } finally {
            idle.forEach(RawConnection::close);
            if (cli != null) {
                cli.process().destroyForcibly();
            }
        }
    }

    @Test
    void aDozenConcurrentDownloadsOfOneUserAllSucceedAgainstTheDefaultSessionLimit() throws Exception {
        List<Running> runs = new ArrayList<>();
        try {
            sessions.closeGate();
            // all twelve run at once, started in batches, each once the one before reached the server (held
            // transfers, or busy answers): twelve JVMs starting together on a small machine could starve the
            // first QUIC handshakes of CPU past the client's 10 s connect timeout, and a held transfer sends
            // nothing, so all must be in place well within the QUIC idle timeout (30 s)
            for (int first = 0; first < DOWNLOADS; first += BATCH) {
                List<Running> batch = new ArrayList<>();
                for (int i = first; i < first + BATCH; i++) {
                    batch.add(start(dir.resolve("cli-" + i), sessions.port(), dir.resolve("out-" + i + ".bin")));
                }
                runs.addAll(batch);
                int held = Math.min(runs.size(), MAX_SESSIONS_PER_USER);
                Poll.until(held + " downloads hold a session, the others wait for a busy server", Poll.PATIENCE,
                        () -> count(sessions.output(), "alice downloads file.bin") >= held
                                && runs.subList(held, runs.size()).stream()
                                        .allMatch(r -> errContains(r, "server busy, retrying in"))
                                || runs.stream().anyMatch(r -> !r.process().isAlive()), sessions::output);
            }
            for (Running run : runs) {
                assertThat(run.process().isAlive()).as(run.err()).isTrue();
            }
            // the default mpft.max-sessions-per-user was reached while every download was held open
            assertThat(sessions.output()).contains("refused: " + MAX_SESSIONS_PER_USER + " sessions already");
            sessions.openGate();
            for (Running run : runs) {
                assertThat(run.process().waitFor(240, TimeUnit.SECONDS)).as(run.err()).isTrue();
                assertThat(run.process().exitValue()).as(run.err() + "\n" + sessions.output()).isZero();
            }
            for (int i = 0; i < DOWNLOADS; i++) {
                assertThat(Files.readAllBytes(dir.resolve("out-" + i + ".bin"))).isEqualTo(bytes);
            }
        } finally {
            sessions.openGate();
            runs.forEach(r -> r.process().destroyForcibly());
        }
    }

    /** A CLI run as a process of this test's (its default --wait), its stderr in a file the test can watch. */
    private record Running(Process process, Path stderr) {
        String err() throws Exception {
            return Files.readString(stderr);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static boolean errContains(Running run, String text) {
        try {
            return run.err().contains(text);
        } catch (Exception e) {
            return false;
        }
    }

    private static Running start(Path folder, int port, Path output) throws Exception {
        Files.createDirectories(folder);
        // the client JIT's first tier only: a dozen of them start quicker on a small machine
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar",
                MpftCli.cliJar().toString(), "get", "--password-env", "MPFT_PASSWORD", "--accept-new",
                "--known-hosts", folder.resolve("known_hosts").toString(), "alice@127.0.0.1:" + port + ":file.bin",
                "-o", output.toString(), "--progress");
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile());
        pb.environment().put("HOME", folder.toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().put("MPFT_PASSWORD", PASSWORD);
        Path err = folder.resolve("stderr.txt");
        pb.redirectOutput(folder.resolve("stdout.txt").toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new Running(pb.start(), err);
    }
}
