package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.PathSummary;
import org.mpft.client.ProgressListener;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.slf4j.LoggerFactory;

/**
 * The command's reporting around a download: {@code --json} failures, {@code --expect-sha256}, the choice of
 * progress display, {@code -v}/{@code -vv}/{@code -q}. The network is a fake (these are the command's own
 * decisions); the real CLI against a real host is CliTerminalIT.
 */
@Timeout(30)
class GetCommandReportingTest {

    private static final String SHA = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<DownloadRequest> seen = new AtomicReference<>();
    private final AtomicReference<ProgressListener> listener = new AtomicReference<>();
    private boolean stderrTerminal;

    private interface Outcome {
        DownloadResult run(DownloadRequest request) throws MpftException;
    }

    @AfterEach
    void restoreLogLevels() {
        LogLevels.apply(false, 0);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }

    private int run(Outcome outcome, String... args) {
        Downloader fake = new Downloader() {
            @Override
            public Running start(DownloadRequest request, ProgressListener progress) {
                seen.set(request);
                listener.set(progress);
                return new Running() {
                    @Override
                    public void cancel() {
                    }

                    @Override
                    public DownloadResult await() throws MpftException {
                        return outcome.run(request);
                    }
                };
            }

            @Override
            public void close() {
            }
        };
        CliEnvironment env = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), stderrTerminal, null, Map.of("PW", "pw")::get,
                dir.resolve("home"), () -> fake, false);
        return MpftCommand.run(env, args);
    }

    /** Writes the file where the client would and reports {@code sha256} for it. */
    private static Outcome writes(String content, String sha256) {
        return request -> {
            try {
                Files.writeString(request.output(), content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new DownloadResult(request.output(), content.length(), sha256, 5, 1, 0, 0,
                    List.of(new PathSummary(request.server(), "primary", 1, content.length(), List.of(0))));
        };
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonReportsAFailureOnStdoutWithTheSameExitCode() {
        int exit = run(r -> {
            throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "no answer from \"h\":7300");
        }, "get", "--password-env", "PW", "--json", "a@h:f", "-o", dir.toString());
        assertThat(exit).isEqualTo(7);
        assertThat(out()).isEqualTo("{\"error\":{\"exitCode\":7,\"name\":\"unavailable\","
                + "\"message\":\"no answer from \\\"h\\\":7300\"}}" + System.lineSeparator());
        assertThat(err()).startsWith("mpft: no answer from");
    }

    @Test
    void jsonReportsRefusalsAndUsageErrorsToo() {
        assertThat(run(writes("x", SHA), "get", "--json", "a@h:7300:f", "-o", dir.toString())).isEqualTo(2);
        assertThat(out()).startsWith("{\"error\":{\"exitCode\":2,\"name\":\"usage\",\"message\":\"no credentials");
        out.reset();
        assertThat(run(writes("x", SHA), "get", "--json", "--retries", "-1", "a@h:f")).isEqualTo(2);
        assertThat(out()).startsWith("{\"error\":{\"exitCode\":2,\"name\":\"usage\",\"message\":\"--retries");
        out.reset();
        assertThat(run(writes("x", SHA), "get", "--json", "--bogus", "a@h:f")).isEqualTo(2);
        assertThat(out()).startsWith("{\"error\":{\"exitCode\":2,\"name\":\"usage\"").contains("--bogus");
        out.reset();
        assertThat(run(writes("x", SHA), "get", "--retries", "-1", "a@h:f")).isEqualTo(2);
        assertThat(out()).as("no --json, no JSON").isEmpty();
        assertThat(seen.get()).isNull();
    }

    @Test
    void expectedDigestMatches() throws Exception {
        Path file = dir.resolve("f.bin");
        int exit = run(writes("content", SHA.toUpperCase()), "get", "--password-env", "PW", "--json",
                "--expect-sha256", SHA.toUpperCase(), "a@h:f.bin", "-o", file.toString());
        assertThat(exit).as(err()).isZero();
        assertThat(seen.get().output()).isEqualTo(dir.resolve("f.bin.mpft-unverified"));
        assertThat(Files.readString(file)).isEqualTo("content");
        assertThat(dir.resolve("f.bin.mpft-unverified")).doesNotExist();
        assertThat(out()).startsWith("{\"file\":\"" + file + "\"");
    }

    @Test
    void expectedDigestDiffersLeavesNothingUnderTheFinalName() throws Exception {
        Path file = dir.resolve("f.bin");
        Files.writeString(file, "the old, good copy");
        int exit = run(writes("wrong", "ff".repeat(32)), "get", "--password-env", "PW", "--json",
                "--expect-sha256", SHA, "a@h:f.bin", "-o", file.toString());
        assertThat(exit).isEqualTo(8);
        assertThat(Files.readString(file)).isEqualTo("the old, good copy");
        assertThat(dir.resolve("f.bin.mpft-unverified")).doesNotExist();
        assertThat(err()).contains("ff".repeat(32)).contains(SHA).contains("--expect-sha256");
        assertThat(out()).startsWith("{\"error\":{\"exitCode\":8,\"name\":\"integrity\"");
    }

    @Test
    void badDigestIsAUsageErrorNamingTheOption() {
        for (String bad : List.of("abc", SHA + "0", SHA.substring(1) + "g", "")) {
            err.reset();
            assertThat(run(writes("x", SHA), "get", "--password-env", "PW", "--expect-sha256", bad, "a@h:f"))
                    .as(bad).isEqualTo(2);
            assertThat(err()).contains("--expect-sha256").contains("64 hexadecimal digits");
        }
        assertThat(seen.get()).isNull();
    }

    @Test
    void progressBarOnATerminalPlainLinesElseNothingWhenQuiet() {
        stderrTerminal = true;
        run(writes("x", SHA), "get", "--password-env", "PW", "a@h:f", "-o", dir.toString());
        assertThat(listener.get()).isInstanceOf(ProgressBar.class);
        stderrTerminal = false;
        run(writes("x", SHA), "get", "--password-env", "PW", "a@h:f", "-o", dir.toString());
        assertThat(listener.get()).isInstanceOf(ProgressLines.class);
        run(writes("x", SHA), "get", "--password-env", "PW", "--progress", "a@h:f", "-o", dir.toString());
        assertThat(listener.get()).isInstanceOf(ProgressBar.class);
        stderrTerminal = true;
        run(writes("x", SHA), "get", "--password-env", "PW", "-q", "a@h:f", "-o", dir.toString());
        assertThat(listener.get()).isSameAs(ProgressListener.NONE);
    }

    @Test
    void verbosityDrivesTheClientsLogLevel() {
        Logger client = (Logger) LoggerFactory.getLogger("org.mpft.client.DownloadTask");
        run(writes("x", SHA), "get", "--password-env", "PW", "-vv", "a@h:f", "-o", dir.toString());
        assertThat(client.getEffectiveLevel()).isEqualTo(Level.DEBUG);
        run(writes("x", SHA), "get", "--password-env", "PW", "-v", "a@h:f", "-o", dir.toString());
        assertThat(client.getEffectiveLevel()).isEqualTo(Level.INFO);
        run(writes("x", SHA), "get", "--password-env", "PW", "-q", "a@h:f", "-o", dir.toString());
        assertThat(client.getEffectiveLevel()).isEqualTo(Level.ERROR);
        run(writes("x", SHA), "get", "--password-env", "PW", "a@h:f", "-o", dir.toString());
        assertThat(client.getEffectiveLevel()).isEqualTo(Level.WARN);
    }
}
