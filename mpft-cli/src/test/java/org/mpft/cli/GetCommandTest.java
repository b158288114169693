package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.PathSummary;
import org.mpft.client.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

@Timeout(30)
class GetCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<DownloadRequest> seen = new AtomicReference<>();

    /** What the fake network does with a request. */
    private interface Outcome {
        DownloadResult run(DownloadRequest request) throws MpftException;
    }

    private int run(Outcome outcome, Terminal terminal, Map<String, String> environment, String... args) {
        Downloader fake = new Downloader() {
            @Override
            public Running start(DownloadRequest request, ProgressListener listener) {
                seen.set(request);
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
                new PrintStream(err, true, StandardCharsets.UTF_8), false, terminal, environment::get, dir.resolve("home"),
                () -> fake, false);
        return MpftCommand.run(env, args);
    }

    private static DownloadResult ok(DownloadRequest request) {
        return new DownloadResult(request.output(), 8192, "ab".repeat(32), 1000, 2, 0, 1,
                List.of(new PathSummary(request.server(), "primary", 1, 4096, List.of(1))));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsTheLastLineOfStdout() {
        int code = run(GetCommandTest::ok, null, Map.of("PW", "secret"), "get", "--password-env", "PW", "--json",
                "--strategy", "adaptive", "--retries", "5", "--compress", "--no-resume", "--accept-new", "--wait", "7",
                "alice@[::1]:7301:/data/f.bin", "-o", dir.toString());
        assertThat(code).as(err()).isZero();
        String[] lines = out().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("{\"file\":\"" + dir.resolve("f.bin") + "\"")
                .contains("\"resumedChunks\":1").doesNotContain("chunkIndices");
        DownloadRequest request = seen.get();
        assertThat(request.user()).isEqualTo("alice");
        assertThat(request.host()).isEqualTo("::1");
        assertThat(request.port()).isEqualTo(7301);
        assertThat(request.server()).isEqualTo("[::1]:7301");
        assertThat(request.remotePath()).isEqualTo("data/f.bin");
        assertThat(request.output()).isEqualTo(dir.resolve("f.bin"));
        assertThat(request.strategy()).isEqualTo(Strategy.ADAPTIVE);
        assertThat(request.retries()).isEqualTo(5);
        assertThat(request.busyWait()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(request.compress()).isTrue();
        assertThat(request.resume()).isFalse();
        assertThat(request.hostKeys()).isInstanceOf(PromptingHostKeys.class);
        assertThat(err()).isEmpty();
    }

    @Test
    void verboseJsonHasChunkIndices() {
        run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "--json", "-v",
                "a@h:f", "-o", dir.toString());
        assertThat(out()).contains("\"chunkIndices\":[1]");
    }

    @Test
    void humanSummaryByDefault() {
        int code = run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:f",
                "-o", dir.resolve("named.bin").toString());
        assertThat(code).isZero();
        assertThat(out()).contains("named.bin: 8.2 kB in 1.0 s").contains("sha256 " + "ab".repeat(32))
                .contains("1 of 2 chunks resumed");
        assertThat(seen.get().strategy()).isEqualTo(Strategy.SERVER_DEFAULT);
        assertThat(seen.get().retries()).isEqualTo(3);
        assertThat(seen.get().busyWait()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(seen.get().resume()).isTrue();
    }

    @Test
    void quietPrintsNothing() {
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "-q", "--password-env", "PW", "a@h:f",
                "-o", dir.toString())).isZero();
        assertThat(out()).isEmpty();
        assertThat(err()).isEmpty();
    }

    @Test
    void errorCodesBecomeExitCodes() {
        Object[][] cases = {
            {ErrorCode.AUTHENTICATION_FAILED, 3}, {ErrorCode.FILE_NOT_FOUND, 4}, {ErrorCode.ACCESS_DENIED, 5},
            {ErrorCode.INSUFFICIENT_SPACE, 6}, {ErrorCode.SERVER_UNAVAILABLE, 7}, {ErrorCode.CHUNK_CORRUPTION, 8},
            {ErrorCode.INVALID_PATH, 2}, {ErrorCode.INTERNAL_ERROR, 1}, {ErrorCode.CANCELLED, 130},
        };
        for (Object[] c : cases) {
            err.reset();
            ErrorCode code = (ErrorCode) c[0];
            int exit = run(r -> {
                throw new MpftException(code, "boom " + code);
            }, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:f", "-o", dir.toString());
            assertThat(exit).as(code.name()).isEqualTo(c[1]);
            assertThat(err()).startsWith("mpft: ");
        }
    }

    @Test
    void aRefusedCertificateWinsOverTheNetworksWrapping() {
        int exit = run(r -> {
            r.hostKeys().verify(r.server(), new byte[32], null); // no terminal, no --accept-new: refused
            return ok(r);
        }, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:f", "-o", dir.toString());
        assertThat(exit).isEqualTo(3);
        assertThat(err()).contains("--accept-new");

        err.reset();
        exit = run(r -> {
            try {
                r.hostKeys().verify(r.server(), new byte[32], null);
            } catch (MpftException e) {
                throw new MpftException(ErrorCode.SERVER_UNAVAILABLE, "handshake failed", e);
            }
            return ok(r);
        }, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:f", "-o", dir.toString());
        assertThat(exit).isEqualTo(3);
        assertThat(err()).contains("--accept-new");
    }

    @Test
    void traversalIsRefusedBeforeAnyNetworkOrFile() throws Exception {
        for (String path : List.of("../x", "a/../../b", "/../etc/passwd", "..\\x", "a\u0007b")) {
            err.reset();
            int exit = run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:" + path,
                    "-o", dir.toString());
            assertThat(exit).as(path).isEqualTo(2);
            assertThat(err()).contains("invalid path");
        }
        assertThat(seen.get()).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void usageErrors() {
        assertThat(run(GetCommandTest::ok, null, Map.of(), "get", "a@h:7300:f", "-o", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("no credentials").contains("--password-env");
        err.reset();
        assertThat(run(GetCommandTest::ok, null, Map.of(), "get", "--password-env", "NOPE", "a@h:f")).isEqualTo(2);
        assertThat(err()).contains("NOPE is not set");
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "--strategy",
                "fastest", "a@h:f")).isEqualTo(2);
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "nohost")).isEqualTo(2);
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "--retries", "-1",
                "a@h:f")).isEqualTo(2);
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--bogus")).isEqualTo(2);
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get")).isEqualTo(2);
        assertThat(run(GetCommandTest::ok, null, Map.of())).isEqualTo(2);
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:f", "-o",
                dir.resolve("missing/f").toString())).isEqualTo(2);
        assertThat(seen.get()).isNull();
    }

    @Test
    void aDestinationAfterOneSourceIsTheSingleFilesOutput() {
        Path file = dir.resolve("copy.bin");
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:7300:f",
                file.toString())).isZero();
        assertThat(seen.get().output()).isEqualTo(file.toAbsolutePath().normalize());
        assertThat(seen.get().remotePath()).isEqualTo("f");
    }

    @Test
    void manyFileUsageErrors() {
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:7300:f",
                dir.toString(), "-o", dir.toString())).as("DEST and -o").isEqualTo(2);
        assertThat(err()).contains("give either DEST or -o OUTPUT, not both");
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "--sessions", "0",
                "-r", "a@h:7300:d", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("--sessions must be 1 to 16, got 0");
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW",
                "--files-per-session", "17", "-r", "a@h:7300:d", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("--files-per-session must be 1 to 16, got 17");
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:7300:a",
                "b@h:7300:b", dir.toString())).as("two users").isEqualTo(2);
        assertThat(err()).contains("one server per run");
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:7300:a",
                "a@h:7301:b", dir.toString())).as("two ports").isEqualTo(2);
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "-r",
                "a@h:7300:../x", dir.toString())).as("an invalid path").isEqualTo(2);
        assertThat(run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "--expect-sha256",
                "ab".repeat(32), "a@h:7300:*.iso", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("--expect-sha256 checks one file");
        assertThat(seen.get()).as("the single-file downloader never ran").isNull();
    }

    @Test
    void passwordPromptOnTheTerminal() {
        Terminal terminal = new Terminal() {
            @Override
            public String readLine(String prompt) {
                return null;
            }

            @Override
            public char[] readPassword(String prompt) {
                assertThat(prompt).isEqualTo("alice@h's password: ");
                return "typed".toCharArray();
            }
        };
        AtomicReference<String> password = new AtomicReference<>();
        int exit = run(r -> {
            password.set(new String(((Credentials.Password) r.credentials()).password()));
            return ok(r);
        }, terminal, Map.of(), "get", "-q", "alice@h:7300:f", "-o", dir.toString());
        assertThat(exit).isZero();
        assertThat(password.get()).isEqualTo("typed");
        // cleared after the download
        assertThat(((Credentials.Password) seen.get().credentials()).password()).containsOnly('\0');
    }

    @Test
    void helpAndVersion() {
        assertThat(run(GetCommandTest::ok, null, Map.of(), "get", "--help")).isZero();
        assertThat(out()).contains("--password-env").contains("--accept-new").contains("Exit codes");
        assertThat(run(GetCommandTest::ok, null, Map.of(), "--version")).isZero();
        assertThat(out()).contains("Java " + System.getProperty("java.version") + " (")
                .contains(System.getProperty("java.home"));
    }

    @Test
    void caPinsNothingAndHandsTheAuthoritiesToTheRequest() throws Exception {
        org.mpft.transport.TlsIdentity.loadOrCreate(dir.resolve("ca"), "ca");
        Path ca = dir.resolve("ca").resolve(org.mpft.transport.TlsIdentity.CERTIFICATE_FILE);
        int code = run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "--ca",
                ca.toString(), "a@h:f", "-o", dir.toString());
        assertThat(code).as(err()).isZero();
        assertThat(seen.get().certificateAuthorities()).isNotNull();
        assertThat(seen.get().certificateAuthorities().source()).isEqualTo(ca.toString());

        run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "--ca", "system", "a@h:f",
                "-o", dir.toString());
        assertThat(seen.get().certificateAuthorities().source()).isEqualTo("the system trust store");

        run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "a@h:f", "-o", dir.toString());
        assertThat(seen.get().certificateAuthorities()).isNull();
    }

    @Test
    void anUnreadableCaFileIsAUsageErrorNamingIt() throws Exception {
        Path none = dir.resolve("none.pem");
        seen.set(null);
        int code = run(GetCommandTest::ok, null, Map.of("PW", "x"), "get", "--password-env", "PW", "--ca",
                none.toString(), "a@h:f", "-o", dir.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err()).contains("--ca").contains(none.toString());
        assertThat(seen.get()).isNull();
    }
}
