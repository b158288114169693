package org.mpft.it;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test support: the real {@code mpft} command as a separate process ({@code java -jar mpft-cli-*-all.jar}),
 * with its own HOME under a folder of the test's, the password in {@code MPFT_PASSWORD} (none when the password
 * is null), no ssh-agent unless a run names one ({@code SSH_AUTH_SOCK} in its environment), no console and no
 * controlling terminal ({@link #withoutTerminal}), and optional JVM options and environment variables. {@link WhileRunning} lets a test act on the process while it runs (kill it).
 */
final class MpftCli {

    /** What to do with the CLI's process while it runs. */
    interface WhileRunning {
        void accept(Process process) throws Exception;
    }

    /** The outcome of one run. */
    record Run(int exitCode, String stdout, String stderr) {
        /** The last line of stdout (the --json object). */
        String lastLine() {
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1];
        }

        /** A number field of the --json line (the first one of that name). */
        long jsonNumber(String field) {
            Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(lastLine());
            if (!m.find()) {
                throw new AssertionError("no " + field + " in " + this);
            }
            return Long.parseLong(m.group(1));
        }

        /** A string field of the --json line (the first one of that name). */
        String jsonString(String field) {
            Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(lastLine());
            if (!m.find()) {
                throw new AssertionError("no " + field + " in " + this);
            }
            return m.group(1);
        }

        /** The {@code chunkIndices} of the path whose server is {@code server} (needs --verbose). */
        List<Integer> chunkIndices(String server) {
            Matcher m = Pattern.compile("\"server\":\"" + Pattern.quote(server) + "\"[^}]*\"chunkIndices\":\\[([0-9,]*)]")
                    .matcher(lastLine());
            if (!m.find()) {
                throw new AssertionError("no chunkIndices of " + server + " in " + this);
            }
            List<Integer> list = new ArrayList<>();
            for (String n : m.group(1).split(",")) {
                if (!n.isEmpty()) {
                    list.add(Integer.parseInt(n));
                }
            }
            return list;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Path dir;
    private final String password;

    /**
     * @param dir      a folder of the test's (HOME, the working folder and the captured output go there)
     * @param password put in {@code MPFT_PASSWORD}; null for none
     */
    MpftCli(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /** Runs {@code mpft ARGS}, waiting at most 240 s. */
    Run run(List<String> jvmOptions, WhileRunning whileRunning, String... args) throws Exception {
        return run(Map.of(), jvmOptions, whileRunning, args);
    }

    /** Runs {@code mpft ARGS} with these environment variables added (e.g. {@code SSH_AUTH_SOCK}). */
    Run run(Map<String, String> environment, String... args) throws Exception {
        return run(environment, List.of(), p -> { }, args);
    }

    /** The HOME the CLI runs with (created on first use). */
    Path home() throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }

    /**
     * Runs {@code bin/mpft ARGS}, the launcher a user runs from a checkout, with {@code MPFT_JAR} set to the built jar
     * and {@code JAVA_HOME} to the tests' java, and these environment variables added.
     */
    Run launcher(Map<String, String> environment, String... args) throws Exception {
        Map<String, String> withJava = new HashMap<>(environment);
        withJava.put("JAVA_HOME", System.getProperty("java.home"));
        return launch(List.of(), withJava, args);
    }

    /**
     * Runs {@code bin/mpft ARGS} as {@link #launcher} does but with {@code JAVA_HOME} unset and the tests' java
     * first on the {@code PATH}, so that the launcher chooses the Java itself.
     */
    Run launcherChoosingJava(Map<String, String> environment, String... args) throws Exception {
        Map<String, String> withPath = new HashMap<>(environment);
        withPath.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin");
        return launch(List.of("env", "-u", "JAVA_HOME"), withPath, args);
    }

    /** Runs {@code bin/mpft ARGS} after {@code prefix}, with {@code MPFT_JAR} set to the built jar. */
    private Run launch(List<String> prefix, Map<String, String> environment, String... args) throws Exception {
        Path script = Path.of(System.getProperty(HostProcess.REPO_ROOT_PROPERTY, "..")).resolve("bin/mpft");
        Map<String, String> withJar = new HashMap<>(environment);
        withJar.put("MPFT_JAR", cliJar().toString());
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("bash", script.toAbsolutePath().toString()));
        return start(command, withJar, p -> { }, args);
    }

    private Run run(Map<String, String> environment, List<String> jvmOptions, WhileRunning whileRunning,
                    String... args) throws Exception {
        List<String> launch = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        launch.addAll(jvmOptions);
        launch.addAll(List.of("-jar", cliJar().toString()));
        return start(launch, environment, whileRunning, args);
    }

    private Run start(List<String> launch, Map<String, String> environment, WhileRunning whileRunning, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(withoutTerminal(launch));
        command.addAll(List.of(args));
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(Files.createDirectories(dir.resolve("cwd")).toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        // the agent of whoever runs the tests is not the test's
        pb.environment().remove("SSH_AUTH_SOCK");
        pb.environment().remove("MPFT_PASSWORD");
        if (password != null) {
            pb.environment().put("MPFT_PASSWORD", password);
        }
        pb.environment().putAll(environment);
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = pb.start();
        try {
            whileRunning.accept(process);
            if (!process.waitFor(240, TimeUnit.SECONDS)) {
                throw new AssertionError("mpft did not finish in 240 s: " + String.join(" ", args) + "\n"
                        + Files.readString(err));
            }
        } finally {
            process.destroyForcibly();
        }
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    /** Runs {@code mpft ARGS} with no JVM options and nothing done meanwhile. */
    Run run(String... args) throws Exception {
        return run(List.of(), p -> { }, args);
    }

    /**
     * Writes a logback configuration that logs netty's native library loader at DEBUG on stderr, for a run's
     * {@code -Dlogback.configurationFile}: netty names each library it loads, by its name when it came from
     * {@code java.library.path}, by the file's path when netty unpacked it from the jar.
     *
     * @return the file, in {@code dir}
     */
    static Path nativeLoaderLog(Path dir) throws IOException {
        return Files.writeString(dir.resolve("logback-native-loader.xml"), """
                <configuration>
                  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%logger: %msg%n</pattern></encoder>
                  </appender>
                  <logger name="io.netty.util.internal.NativeLibraryLoader" level="DEBUG"/>
                  <root level="WARN"><appender-ref ref="STDERR"/></root>
                </configuration>
                """);
    }

    /**
     * The command in a new session ({@code setsid}) where the system has it: without a controlling terminal,
     * so the CLI cannot ask on {@code /dev/tty} when the tests run from someone's terminal, and answers as it
     * does in CI. {@code setsid} execs the command in place (the caller is no process group leader), so the
     * process's pid is the CLI's own.
     */
    static List<String> withoutTerminal(List<String> command) {
        if (!new File("/usr/bin/setsid").canExecute()) {
            return command;
        }
        List<String> detached = new ArrayList<>(List.of("/usr/bin/setsid", "-w"));
        if (DEFAULT_SIGINT) {
            // Ctrl-C as a terminal delivers it: tests run from a background job inherit SIGINT ignored, and a JVM
            // started so ignores it too (the Ctrl-C tests would then wait for a timeout instead)
            detached.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
        }
        detached.addAll(command);
        return detached;
    }

    /** True when {@code env --default-signal} is there (GNU coreutils 8.31 and later). */
    private static final boolean DEFAULT_SIGINT = defaultSignalWorks();

    private static boolean defaultSignalWorks() {
        try {
            Process probe = new ProcessBuilder("/usr/bin/env", "--default-signal=INT", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The shaded CLI jar: system property {@value CliIT#CLI_JAR_PROPERTY}, else the one built in the repo. */
    static Path cliJar() throws IOException {
        String property = System.getProperty(CliIT.CLI_JAR_PROPERTY);
        if (property != null && Files.isRegularFile(Path.of(property))) {
            return Path.of(property);
        }
        Path target = Path.of(System.getProperty(HostProcess.REPO_ROOT_PROPERTY, "..")).resolve("mpft-cli/target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "mpft-cli-*-all.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            }
        }
        throw new IOException("no CLI jar: set " + CliIT.CLI_JAR_PROPERTY + " (was " + property + ") or build mpft-cli");
    }

    /** Waits until {@code file} exists and holds at least {@code bytes}, or the process ended. */
    static void awaitSize(Process process, Path file, long bytes) throws Exception {
        Poll.until(bytes + " bytes in " + file, Poll.PATIENCE, () -> !process.isAlive() || size(file) >= bytes);
    }

    /**
     * Waits until the CLI's {@code <output>.mpft-state} records at least {@code chunks} held chunks, or the
     * process ended. The state is written every few chunks and on a timer, so it catches up with what is on disk.
     */
    static void awaitHeldChunks(Process process, Path state, int chunks) throws Exception {
        Poll.until(chunks + " chunks held in " + state, Poll.PATIENCE,
                () -> !process.isAlive() || heldChunks(state) >= chunks);
    }

    /** The chunks a state file records as held (its layout: {@code StateFile}), or -1 while it is not readable. */
    static int heldChunks(Path state) {
        try {
            ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(state)); // replaced whole by a rename: never torn
            in.position(8 + 2 + 8 + 8 + 4); // magic, version, size, mtime, chunk size
            in.position(in.position() + 2 + Short.toUnsignedInt(in.getShort())); // server
            in.position(in.position() + 2 + Short.toUnsignedInt(in.getShort())); // remote path
            in.getInt(); // chunk count
            byte[] bitmap = new byte[in.getInt()];
            in.get(bitmap);
            return BitSet.valueOf(bitmap).cardinality();
        } catch (IOException | RuntimeException e) {
            return -1; // not there (yet, or any more)
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1; // not there (yet, or any more)
        }
    }
}
