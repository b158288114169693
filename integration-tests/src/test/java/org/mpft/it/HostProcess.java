package org.mpft.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mpft.host.OpenSsh;

/**
 * Test fixture: the reference host ({@code host-sftp-demo}) as a separate JVM, started from the built
 * shaded jar, with its own config, users, plugins folder and state in a folder of the test's.
 *
 * <pre>{@code
 * try (HostProcess host = HostProcess.builder(tempDir)
 *         .user(HostProcess.User.withPassword("alice", "pw").read("/pub"))
 *         .withPlugin()                                   // copies the built mpft plugin jar
 *         .pluginProperty("mpft.bind", "127.0.0.1")
 *         .pluginProperty("mpft.port", Integer.toString(FreePorts.udp()))
 *         .start()) {
 *     Files.write(host.home("alice").resolve("pub/file.bin"), bytes);
 *     host.awaitOutput("channel 'mpft' started", Duration.ofSeconds(30));
 *     ... host.sftpPort() ... host.output() ...
 * }
 * }</pre>
 *
 * <p>Layout of the work folder: {@code host.properties}, {@code users.properties}, {@code data/} (users'
 * homes, unless {@link Builder#dataDir} shares another), {@code plugins/} (copies of the plugin jars and
 * {@code plugin.properties}), {@code state/} (the plugins' data under {@code state/plugins/<id>}) and
 * {@code host.key}. Users are added through the host's own admin command ({@code user add}), one short
 * JVM each. The host's output (stdout and stderr) is collected, and echoed with a {@code [host]} prefix
 * unless {@link Builder#echoOutput(boolean)} turns that off.
 */
public final class HostProcess implements AutoCloseable {

    /** System property: the shaded host jar (set by the failsafe configuration of this module). */
    public static final String HOST_JAR_PROPERTY = "mpft.it.hostJar";
    /** System property: the built mpft plugin jar (set by the failsafe configuration of this module). */
    public static final String PLUGIN_JAR_PROPERTY = "mpft.it.pluginJar";
    /** System property: the repository's root folder. */
    public static final String REPO_ROOT_PROPERTY = "mpft.it.repoRoot";
    /** How long {@link Builder#start()} waits for the ready line unless told otherwise: 60 s. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@link #close()} waits after SIGTERM before killing the process: 10 s. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final Pattern READY = Pattern.compile("mpft-host ready sftp=(\\S+):(\\d+)");
    private static final String PASSWORD_ENV = "MPFT_IT_PASSWORD";

    private final Builder spec;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private volatile int sftpPort = -1;
    private boolean closed;

    /**
     * A user of the host.
     *
     * @param name           the user name ({@code [a-z_][a-z0-9_.-]{0,31}})
     * @param password       the password, or null for none
     * @param authorizedKeys an OpenSSH {@code authorized_keys} (or {@code .pub}) file, or null for none
     * @param read           read rules, relative to the home ({@code /} = whole home)
     * @param write          write rules, relative to the home
     *                       (no read and no write rule at all: the user reads and writes its whole home)
     */
    public record User(String name, String password, Path authorizedKeys, List<String> read, List<String> write) {

        /** Checks the name and freezes the lists; at least one credential is required. */
        public User {
            Objects.requireNonNull(name, "name");
            if (password == null && authorizedKeys == null) {
                throw new IllegalArgumentException("user " + name + " needs a password or authorized keys");
            }
            read = List.copyOf(read);
            write = List.copyOf(write);
        }

        /** A user with a password, reading and writing its whole home. */
        public static User withPassword(String name, String password) {
            return new User(name, Objects.requireNonNull(password, "password"), null, List.of(), List.of());
        }

        /** A user with an authorized keys file (e.g. the {@code .pub} of {@link OpenSsh#ed25519Key}). */
        public static User withKey(String name, Path authorizedKeys) {
            return new User(name, null, Objects.requireNonNull(authorizedKeys, "authorizedKeys"), List.of(), List.of());
        }

        /** This user with a password too. */
        public User password(String newPassword) {
            return new User(name, newPassword, authorizedKeys, read, write);
        }

        /** This user with an authorized keys file too. */
        public User authorizedKeys(Path file) {
            return new User(name, password, file, read, write);
        }

        /** This user with more read rules. */
        public User read(String... paths) {
            List<String> r = new ArrayList<>(read);
            r.addAll(List.of(paths));
            return new User(name, password, authorizedKeys, r, write);
        }

        /** This user with more write rules. */
        public User write(String... paths) {
            List<String> w = new ArrayList<>(write);
            w.addAll(List.of(paths));
            return new User(name, password, authorizedKeys, read, w);
        }
    }

    /** Describes a host to start; every setter returns this builder. */
    public static final class Builder {

        private final Path workDir;
        private final List<User> users = new ArrayList<>();
        private final List<Path> pluginJars = new ArrayList<>();
        private final Map<String, String> pluginProperties = new LinkedHashMap<>();
        private final Map<String, String> hostProperties = new LinkedHashMap<>();
        private final List<String> javaOptions = new ArrayList<>();
        private Path dataDir;
        private int sftpPort;
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;
        private boolean echo = true;
        private Path hostJar;

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
        }

        /** Adds a user. */
        public Builder user(User user) {
            users.add(Objects.requireNonNull(user, "user"));
            return this;
        }

        /** Copies the built mpft plugin jar (system property {@value #PLUGIN_JAR_PROPERTY}) into the plugins folder. */
        public Builder withPlugin() {
            String jar = System.getProperty(PLUGIN_JAR_PROPERTY);
            if (jar == null) {
                throw new IllegalStateException("system property " + PLUGIN_JAR_PROPERTY + " is not set");
            }
            return pluginJar(Path.of(jar));
        }

        /** Copies a plugin jar into the plugins folder. */
        public Builder pluginJar(Path jar) {
            pluginJars.add(Objects.requireNonNull(jar, "jar"));
            return this;
        }

        /** Sets a key of {@code plugins/plugin.properties} (written when at least one key is set). */
        public Builder pluginProperty(String key, String value) {
            pluginProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets keys of {@code plugins/plugin.properties}. */
        public Builder pluginProperties(Map<String, String> properties) {
            properties.forEach(this::pluginProperty);
            return this;
        }

        /** Sets or overrides a key of the host's config file (also an unknown or malformed one, to test failures). */
        public Builder hostProperty(String key, String value) {
            hostProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The users' homes: {@code dataDir/<user>}; share one among several hosts. Default: {@code workDir/data}. */
        public Builder dataDir(Path dir) {
            dataDir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
            return this;
        }

        /** The SFTP port; default 0 (any free port, read back from the ready line). */
        public Builder sftpPort(int port) {
            sftpPort = port;
            return this;
        }

        /** How long to wait for the ready line; default {@link #DEFAULT_READY_TIMEOUT}. */
        public Builder readyTimeout(Duration timeout) {
            readyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Adds a JVM option for the host process (e.g. {@code -Xmx256m}). */
        public Builder javaOption(String option) {
            javaOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /** Whether to echo the host's output to this JVM's stdout, prefixed {@code [host]}; default true. */
        public Builder echoOutput(boolean on) {
            echo = on;
            return this;
        }

        /** The shaded host jar; default: system property {@value #HOST_JAR_PROPERTY}, else the one built in the repo. */
        public Builder hostJar(Path jar) {
            hostJar = Objects.requireNonNull(jar, "jar");
            return this;
        }

        /**
         * Writes the files, adds the users and starts the host; returns once it printed its ready line.
         *
         * @throws IOException      when a file cannot be written, a user cannot be added, or the host exits
         *                          before it is ready (the message holds its output)
         * @throws TimeoutException when the host is not ready in time (it is stopped; the message holds
         *                          its output)
         */
        public HostProcess start() throws IOException, InterruptedException, TimeoutException {
            Path jar = hostJar != null ? hostJar : findHostJar();
            Files.createDirectories(workDir);
            Path data = Files.createDirectories(dataDir != null ? dataDir : workDir.resolve("data"));
            Path plugins = Files.createDirectories(workDir.resolve("plugins"));
            for (Path p : pluginJars) {
                Files.copy(p, plugins.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!pluginProperties.isEmpty()) {
                store(pluginProperties, plugins.resolve("plugin.properties"));
            }
            Map<String, String> config = new LinkedHashMap<>();
            config.put("sftp.bind", "127.0.0.1");
            config.put("sftp.port", Integer.toString(sftpPort));
            config.put("data.dir", data.toString());
            config.put("users.file", "users.properties");
            config.put("plugins.dir", "plugins");
            config.put("state.dir", "state");
            config.put("host.key", "host.key");
            config.putAll(hostProperties);
            store(config, configFile(workDir));
            for (User u : users) {
                addUser(jar, u);
            }
            HostProcess host = new HostProcess(this, launch(jar, List.of("--config", configFile(workDir).toString()), null));
            host.awaitReady(readyTimeout);
            return host;
        }

        private void addUser(Path jar, User u) throws IOException, InterruptedException {
            List<String> args = new ArrayList<>(List.of("user", "add", "--config", configFile(workDir).toString(), u.name()));
            if (u.password() != null) {
                args.addAll(List.of("--password-env", PASSWORD_ENV));
            }
            if (u.authorizedKeys() != null) {
                args.addAll(List.of("--authorized-keys", u.authorizedKeys().toAbsolutePath().toString()));
            }
            u.read().forEach(r -> args.addAll(List.of("--read", r)));
            u.write().forEach(w -> args.addAll(List.of("--write", w)));
            Process p = launch(jar, args, u.password());
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("mpft-host user add " + u.name() + " timed out: " + out);
            }
            if (p.exitValue() != 0) {
                throw new IOException("mpft-host user add " + u.name() + " failed (exit " + p.exitValue() + "): " + out);
            }
        }

        private Process launch(Path jar, List<String> args, String password) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(javaOptions);
            command.addAll(List.of("-jar", jar.toString()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            pb.environment().remove(PASSWORD_ENV);
            if (password != null) {
                pb.environment().put(PASSWORD_ENV, password);
            }
            return pb.start();
        }
    }

    /** A builder for a host whose files live in {@code workDir} (e.g. a JUnit {@code @TempDir}). */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    private HostProcess(Builder spec, Process process) {
        this.spec = spec;
        this.process = process;
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.reader = new Thread(this::readOutput, "host-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.append(line).append('\n');
                if (spec.echo) {
                    System.out.println("[host " + process.pid() + "] " + line);
                }
                Matcher m = READY.matcher(line);
                if (sftpPort < 0 && m.find()) {
                    sftpPort = Integer.parseInt(m.group(2));
                }
            }
        } catch (IOException e) {
            output.append("[output lost: ").append(e).append("]\n");
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException, TimeoutException {
        try {
            Poll.until("ready line", timeout, () -> sftpPort >= 0 || !process.isAlive(), this::output);
        } catch (TimeoutException e) {
            close();
            throw e;
        }
        if (sftpPort < 0) {
            reader.join(STOP_GRACE.toMillis()); // the exited host's last lines
            if (sftpPort < 0) {
                throw new IOException("host exited with code " + process.exitValue() + " before it was ready; output:\n"
                        + output);
            }
        }
    }

    /**
     * Waits until the host's output contains {@code text} (e.g. {@code "channel 'mpft' started"}).
     *
     * @throws TimeoutException when it does not in time, or the host exits first (the message holds the output)
     */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException, TimeoutException {
        Poll.until("'" + text + "'", timeout, () -> {
            if (output.indexOf(text) >= 0) {
                return true;
            }
            if (!process.isAlive() && !reader.isAlive() && output.indexOf(text) < 0) {
                throw new TimeoutException("host exited without printing '" + text + "'; output:\n" + output);
            }
            return false;
        }, this::output);
    }

    /**
     * Waits until the host's output contains {@code text} at least {@code count} times (e.g. one log line per
     * started download).
     *
     * @throws TimeoutException when it does not in time (the message holds the output)
     */
    public void awaitOutputCount(String text, int count, Duration timeout) throws InterruptedException, TimeoutException {
        Poll.until(count + " x '" + text + "'", timeout, () -> count(output(), text) >= count, this::output);
    }

    /** How often {@code what} occurs in {@code text}. */
    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Where this host's mpft plugin listens, as its {@code mpft listening on udp} log line says.
     *
     * @param address           the bound address
     * @param port              the bound UDP port
     * @param role              {@code primary} or {@code secondary}
     * @param certificateSha256 the SHA-256 of the plugin's TLS certificate, lower-case hex
     */
    public record MpftListener(String address, int port, String role, String certificateSha256) {
    }

    private static final Pattern MPFT_LISTENING = Pattern.compile(
            "mpft listening on udp (\\S+):(\\d+) \\(role (\\w+), certificate sha256 ([0-9a-f]{64})[,)]");

    /**
     * Waits for the mpft plugin's listening line and reads its address, port, role and certificate.
     *
     * @throws TimeoutException when no complete line comes in time (the message holds the output)
     */
    public MpftListener awaitMpftListener(Duration timeout) throws InterruptedException, TimeoutException {
        awaitOutput("mpft listening on udp", timeout);
        return Poll.value("complete 'mpft listening' line", timeout, () -> {
            Matcher m = MPFT_LISTENING.matcher(output);
            return m.find() ? new MpftListener(m.group(1), Integer.parseInt(m.group(2)), m.group(3), m.group(4)) : null;
        }, this::output);
    }

    /** The SFTP port, as printed in the ready line. */
    public int sftpPort() {
        return sftpPort;
    }

    /** Everything the host printed so far (stdout and stderr), for assertions and failure messages. */
    public String output() {
        return output.toString();
    }

    /** The folder holding this host's files. */
    public Path workDir() {
        return spec.workDir;
    }

    /** The host's config file. */
    public Path configFile() {
        return configFile(spec.workDir);
    }

    /** The folder of the users' homes. */
    public Path dataDir() {
        return spec.dataDir != null ? spec.dataDir : spec.workDir.resolve("data");
    }

    /** A user's home ({@code dataDir/<user>}), created by {@code user add}. */
    public Path home(String user) {
        return dataDir().resolve(user);
    }

    /** The plugins folder. */
    public Path pluginsDir() {
        return spec.workDir.resolve("plugins");
    }

    /** A plugin's data folder: {@code state/plugins/<pluginId>} (its TLS key and other state). */
    public Path pluginDataDir(String pluginId) {
        return spec.workDir.resolve("state").resolve("plugins").resolve(pluginId);
    }

    /** The host's process (its pid, whether it is alive, its exit code). */
    public Process process() {
        return process;
    }

    /** Whether the host is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the host at once (SIGKILL), as a crash would; {@link #close()} is still safe afterwards. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the host: SIGTERM (a clean shutdown of its channels and SFTP), then SIGKILL after
     * {@link #STOP_GRACE}. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process.isAlive()) {
                // through the handle: Process.destroy() would also close the output pipe, and the host's
                // last lines (its clean shutdown) would be lost
                process.toHandle().destroy();
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    output.append("[host did not stop within ").append(STOP_GRACE).append(": killed]\n");
                    process.toHandle().destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            reader.join(STOP_GRACE.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path configFile(Path workDir) {
        return workDir.resolve("host.properties");
    }

    private static void store(Map<String, String> values, Path file) throws IOException {
        Properties props = new Properties();
        props.putAll(values);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "written by HostProcess");
        }
    }

    /** The shaded host jar: the system property, else {@code host-sftp-demo/target/host-sftp-demo-*-all.jar}. */
    static Path findHostJar() throws IOException {
        String property = System.getProperty(HOST_JAR_PROPERTY);
        if (property != null && Files.isRegularFile(Path.of(property))) {
            return Path.of(property);
        }
        Path root = Path.of(System.getProperty(REPO_ROOT_PROPERTY, ".."));
        Path target = root.resolve("host-sftp-demo/target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "host-sftp-demo-*-all.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            }
        }
        throw new IOException("no host jar: set " + HOST_JAR_PROPERTY + " (was " + property + ") or build host-sftp-demo");
    }
}
