package org.mpft.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.FileTransferClient;
import org.mpft.protocol.Strategy;

/**
 * Test fixture shared by the single-host integration tests: one real host process with the real plugin jar
 * (bound to 127.0.0.1 on a free UDP port), its users, its mpft port and certificate read back, and one
 * {@link FileTransferClient}; started before the class's tests and stopped after them. Register it as a
 * static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MpftHost host = MpftHost.builder()
 *         .user(HostProcess.User.withPassword("alice", "alice-pw"))
 *         .pluginProperty("mpft.max-sessions", "3")
 *         .holdChunks()                      // optional: a server-side gate on every chunk
 *         .build();
 * ...
 * host.client().download(host.request("file.bin", out, false), p -> { });
 * }</pre>
 *
 * <p>{@link Builder#holdChunks()} starts the host with the test hook {@code mpft.test.hold-chunks-until}: no
 * chunk leaves it while the gate file is missing, so a test holds a download open ({@link #closeGate()})
 * for as long as it needs and lets it finish ({@link #openGate()}) instead of hoping it is slow. The gate
 * starts open.
 */
final class MpftHost implements BeforeAllCallback, AfterAllCallback {

    /** One "done" line of the plugin's transfer log ({@code org.mpft.transfers}). */
    record TransferLine(String file, long bytes, long cacheHits, long chunks, long disk, long wire, long compressed) {
    }

    private static final Pattern TRANSFER = Pattern.compile("transfer \\d+ done: user=\\S+ file=(\\S+) bytes=(\\d+) "
            + ".* cache=(\\d+)/(\\d+) disk=(\\d+) wire=(\\d+) compressed=(\\d+)");

    /** A user of the host, known before its files exist (e.g. a key made in the host's work folder). */
    @FunctionalInterface
    interface UserSpec {
        /** The user, given the fixture's work folder. */
        HostProcess.User in(Path work) throws Exception;
    }

    private final Builder spec;
    private Path work;
    private HostProcess process;
    private int port;
    private String fingerprint;
    private FileTransferClient client;
    private HostProcess.User mainUser;

    private MpftHost(Builder spec) {
        this.spec = spec;
    }

    /** A fixture to describe; {@link Builder#build()} makes it. */
    static Builder builder() {
        return new Builder();
    }

    /** Describes the host; every setter returns this builder. */
    static final class Builder {
        private final List<UserSpec> users = new ArrayList<>();
        private final Map<String, String> pluginProperties = new LinkedHashMap<>();
        private final List<String> javaOptions = new ArrayList<>();
        private boolean echo = true;
        private boolean gate;

        private Builder() {
        }

        /** Adds a user; the first one is the one {@link #request(String, Path, boolean)} logs in as. */
        Builder user(HostProcess.User user) {
            Objects.requireNonNull(user, "user");
            return user(work -> user);
        }

        /** Adds a user made once the work folder exists. */
        Builder user(UserSpec user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        /** Sets a key of the plugin's {@code plugin.properties} (besides mpft.bind and mpft.port). */
        Builder pluginProperty(String key, String value) {
            pluginProperties.put(key, value);
            return this;
        }

        /** Adds a JVM option of the host. */
        Builder javaOption(String option) {
            javaOptions.add(option);
            return this;
        }

        /** Keeps the host's output out of the test's (it is still in {@link MpftHost#output()}). */
        Builder quiet() {
            echo = false;
            return this;
        }

        /** Starts the host with the hold-chunks gate (open at start). */
        Builder holdChunks() {
            gate = true;
            return this;
        }

        /** The fixture, to register with {@code @RegisterExtension} on a static field. */
        MpftHost build() {
            if (users.isEmpty()) {
                throw new IllegalStateException("a host needs a user");
            }
            return new MpftHost(this);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(Files.createTempDirectory("mpft-it-" + context.getRequiredTestClass().getSimpleName() + "-"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
    }

    private void start(Path workDir) throws Exception {
        work = workDir;
        HostProcess.Builder builder = HostProcess.builder(work.resolve("host"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()))
                .echoOutput(spec.echo);
        List<HostProcess.User> users = new ArrayList<>();
        for (UserSpec user : spec.users) {
            users.add(user.in(work));
        }
        mainUser = users.get(0);
        users.forEach(builder::user);
        spec.pluginProperties.forEach(builder::pluginProperty);
        spec.javaOptions.forEach(builder::javaOption);
        if (spec.gate) {
            openGate();
            builder.javaOption("-Dmpft.test.hold-chunks-until=" + gate());
        }
        process = builder.start();
        HostProcess.MpftListener listener = process.awaitMpftListener(HostProcess.DEFAULT_READY_TIMEOUT);
        port = listener.port();
        fingerprint = listener.certificateSha256();
        for (HostProcess.User user : users) {
            Files.createDirectories(process.home(user.name()));
        }
        client = new FileTransferClient();
    }

    /** Stops the client and the host and deletes the work folder. */
    void close() throws IOException {
        if (client != null) {
            client.close();
            client = null;
        }
        if (process != null) {
            process.close();
            process = null;
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            work = null;
        }
    }

    /** The host process (its output, homes, pid). */
    HostProcess process() {
        return process;
    }

    /** Everything the host printed so far. */
    String output() {
        return process.output();
    }

    /** A user's home. */
    Path home(String user) {
        return process.home(user);
    }

    /** The plugin's UDP port. */
    int port() {
        return port;
    }

    /** The SHA-256 of the plugin's certificate, lower-case hex. */
    String fingerprint() {
        return fingerprint;
    }

    /** The client, one for the class's tests. */
    FileTransferClient client() {
        return client;
    }

    /** A folder of the fixture's for the test's own files (outputs and the like). */
    Path work() {
        return work;
    }

    /** The hold-chunks gate file: while it is missing, the host sends no chunk. */
    Path gate() {
        return work.resolve("release-chunks");
    }

    /** Holds every chunk from now on (downloads stay open) until {@link #openGate()}. */
    void closeGate() throws IOException {
        requireGate();
        Files.deleteIfExists(gate());
    }

    /** Lets chunks go (held downloads finish). */
    void openGate() throws IOException {
        requireGate();
        if (!Files.exists(gate())) {
            Files.createFile(gate());
        }
    }

    private void requireGate() {
        if (!spec.gate) {
            throw new IllegalStateException("the host was not built with holdChunks()");
        }
    }

    /** A download of {@code remotePath} by the first user, pinning the plugin's certificate. */
    DownloadRequest request(String remotePath, Path output, boolean compress) {
        return request(mainUser.name(), mainUser.password(), remotePath, output, compress);
    }

    /**
     * A download of {@code remotePath} by {@code user}, pinning the plugin's certificate. It does not wait for a
     * busy server: the tests on this fixture look at the server's own answers (a LIMIT_EXCEEDED comes back at
     * once); the client's wait for a busy server is tested by {@code ClientSafetyIT}.
     */
    DownloadRequest request(String user, String password, String remotePath, Path output, boolean compress) {
        return new DownloadRequest(user, "127.0.0.1", port, remotePath, output,
                new Credentials.Password(password.toCharArray()), CertificatePins.trusting(fingerprint),
                Strategy.SERVER_DEFAULT, false, DownloadRequest.DEFAULT_RETRIES, compress, Duration.ZERO);
    }

    /** Writes {@code size} random bytes to the first user's home. */
    Path randomFile(String relative, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return write(relative, bytes);
    }

    /** Log-like text of {@code size} bytes in the first user's home: compresses to about a third. */
    Path textFile(String relative, int size, long seed) throws IOException {
        return write(relative, logText(size, seed));
    }

    /** {@code size} bytes of log-like text (compresses to about a third; well with zstd level 1). */
    static byte[] logText(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"transfer", "chunk", "server", "client", "the", "of", "to", "bytes", "path", "window"};
        StringBuilder text = new StringBuilder(size + 200);
        while (text.length() < size) {
            text.append(1_764_000_000_000L + random.nextInt(1_000_000)).append(" INFO [mpft-io-")
                    .append(random.nextInt(4)).append("] ");
            for (int w = 0; w < 8; w++) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            text.append("n=").append(random.nextInt(100_000)).append('\n');
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    private Path write(String relative, byte[] bytes) throws IOException {
        Path file = home(mainUser.name()).resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    /**
     * The plugin's "done" lines for {@code file}, oldest first, once there are at least {@code count} of them
     * (the line is logged just after the client has its last chunk).
     *
     * @throws TimeoutException when fewer come within {@link Poll#PATIENCE}
     */
    List<TransferLine> transfers(String file, int count) throws InterruptedException, TimeoutException {
        return Poll.value(count + " transfer lines of " + file, Poll.PATIENCE, () -> {
            List<TransferLine> lines = new ArrayList<>();
            Matcher m = TRANSFER.matcher(output());
            while (m.find()) {
                if (m.group(1).equals(file)) {
                    lines.add(new TransferLine(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                            Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                            Long.parseLong(m.group(7))));
                }
            }
            return lines.size() >= count ? lines : null;
        }, this::output);
    }
}
