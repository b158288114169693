package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.HostKeyVerifier;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

/**
 * Test support for the multi-path ITs: starts secondaries and primaries as real host processes (each with
 * its own state folder, the plugin jar in its plugins folder, the same users), by default sharing one data
 * folder, with a cluster secret file, and reads back their UDP ports and certificate fingerprints.
 * Close it to stop every host it started.
 */
final class MultiPathHosts implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "secret-pw";


    /** A started host with its mpft port and certificate. */
    record Host(String name, HostProcess process, int port, String fingerprint) {
        String server() {
            return "127.0.0.1:" + port;
        }
    }

    private final Path work;
    private final Path data;
    private final List<Host> started = new ArrayList<>();
    private Path authorizedKeys;

    MultiPathHosts(Path work) throws IOException {
        this.work = work;
        this.data = Files.createDirectories(work.resolve("data"));
        Files.createDirectories(data.resolve(USER));
    }

    /** The shared data folder's home of the user. */
    Path home() {
        return data.resolve(USER);
    }

    /** Lets the user log in with the keys in {@code file} too, on every host started from now on. */
    MultiPathHosts authorizedKeys(Path file) {
        this.authorizedKeys = file;
        return this;
    }

    /** Writes a cluster secret file (mode 600) and returns it. */
    Path secret(String name, String content) throws IOException {
        Path file = work.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** Starts a secondary; {@code dataDir} null for the shared one. */
    Host secondary(String name, Path secret, Path dataDir, Map<String, String> extra) throws Exception {
        return secondary(name, secret, dataDir, extra, List.of());
    }

    /** Starts a secondary with JVM options (e.g. a {@code -Dmpft.test.*} fault hook). */
    Host secondary(String name, Path secret, Path dataDir, Map<String, String> extra, List<String> javaOptions)
            throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("mpft.role", "secondary");
        props.put("mpft.name", name);
        props.put("mpft.cluster.secret-file", secret.toString());
        props.put("mpft.cluster.accept-primaries", "127.0.0.1");
        props.putAll(extra);
        return start(name, dataDir, props, javaOptions);
    }

    /**
     * Stops {@code old} and starts the same secondary again (same name, port, data and TLS identity) in a
     * work folder of its own: to its clients it is the same secondary, restarted.
     */
    Host restartSecondary(Host old, Path secret) throws Exception {
        Path certificate;
        try (java.util.stream.Stream<Path> files = Files.walk(old.process().workDir())) {
            certificate = files.filter(f -> f.getFileName().toString().equals("server-cert.pem")).findFirst()
                    .orElseThrow();
        }
        old.process().close();
        started.remove(old);
        Path tls = Files.createDirectories(work.resolve(old.name() + "-tls"));
        Files.copy(certificate, tls.resolve("server-cert.pem"));
        Files.copy(certificate.resolveSibling("server-key.pem"), tls.resolve("server-key.pem"));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("mpft.role", "secondary");
        props.put("mpft.name", old.name());
        props.put("mpft.cluster.secret-file", secret.toString());
        props.put("mpft.cluster.accept-primaries", "127.0.0.1");
        props.put("mpft.port", Integer.toString(old.port()));
        props.put("mpft.tls.certificate", tls.resolve("server-cert.pem").toString());
        props.put("mpft.tls.key", tls.resolve("server-key.pem").toString());
        Host again = start(old.name() + "-restarted", null, props, List.of());
        return new Host(old.name(), again.process(), again.port(), again.fingerprint());
    }

    /** Starts a primary driving {@code secondaries} (none: a primary on its own). */
    Host primary(String name, Path secret, List<Host> secondaries, Map<String, String> extra) throws Exception {
        return primary(name, secret, secondaries, extra, List.of());
    }

    /** Starts a primary driving {@code secondaries}, with JVM options (e.g. a {@code -Dmpft.test.*} fault hook). */
    Host primary(String name, Path secret, List<Host> secondaries, Map<String, String> extra, List<String> javaOptions)
            throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("mpft.role", "primary");
        props.put("mpft.name", name);
        props.put("mpft.cluster.secret-file", secret.toString());
        if (!secondaries.isEmpty()) { // none: a single-path primary
            props.put("mpft.secondaries", String.join(",", secondaries.stream().map(Host::server).toList()));
        }
        props.putAll(extra);
        return start(name, null, props, javaOptions);
    }

    private Host start(String name, Path dataDir, Map<String, String> props, List<String> javaOptions)
            throws Exception {
        HostProcess.Builder builder = HostProcess.builder(work.resolve(name))
                .user(authorizedKeys == null ? HostProcess.User.withPassword(USER, PASSWORD)
                        : HostProcess.User.withKey(USER, authorizedKeys).password(PASSWORD))
                .withPlugin()
                .dataDir(dataDir == null ? data : dataDir)
                .javaOption("-Xmx256m")
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()))
                .pluginProperty("mpft.chunk-size", "1m");
        props.forEach(builder::pluginProperty);
        javaOptions.forEach(builder::javaOption);
        HostProcess process = builder.start();
        HostProcess.MpftListener listener;
        try {
            listener = process.awaitMpftListener(Duration.ofSeconds(30));
        } catch (Exception e) {
            process.close();
            throw e;
        }
        Host host = new Host(name, process, listener.port(), listener.certificateSha256());
        started.add(host);
        return host;
    }

    /** Waits until the primary's link to every secondary is up. */
    static void awaitLinks(Host primary, int count) throws Exception {
        Poll.until(count + " cluster links up", Poll.PATIENCE,
                () -> countOf(primary.process().output(), "cluster link to secondary") >= count,
                primary.process()::output);
    }

    private static int countOf(String text, String what) {
        int n = 0;
        for (String line : text.split("\n")) {
            if (line.contains(what) && line.contains(" up;")) {
                n++;
            }
        }
        return n;
    }

    /** A request to {@code primary} for {@code remotePath}, pinning every host this fixture started. */
    DownloadRequest request(Host primary, String remotePath, Path output, Strategy strategy) {
        HostKeyVerifier pinned = (server, sha256, vouchedBy) -> {
            String hex = HexFormat.of().formatHex(sha256);
            if (started.stream().noneMatch(h -> h.fingerprint().equals(hex) && server.equals(h.server()))) {
                throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "unexpected certificate from " + server);
            }
        };
        return new DownloadRequest(USER, "127.0.0.1", primary.port(), remotePath, output,
                new Credentials.Password(PASSWORD.toCharArray()), pinned, strategy, false,
                DownloadRequest.DEFAULT_RETRIES, false);
    }

    /** Writes {@code size} random bytes to {@code home/relative} with a fixed mtime. */
    static Path randomFile(Path home, String relative, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
        return file;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).process().close();
        }
        started.clear();
    }
}
