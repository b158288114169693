package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mpft}, the launcher a user runs from a checkout, against the real host with the real plugin jar, over
 * real QUIC on 127.0.0.1: the Java it chooses, and what it keeps in {@code MPFT_CACHE_DIR} (the class-data archive
 * or ahead-of-time cache, netty's native libraries), made once, only when complete, and used by the runs after.
 */
@Timeout(300)
class LauncherIT {

    private static final String PASSWORD = "alice-pw";

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD).read("/pub"))
            .build();

    /** A Java installation's feature version in its {@code release} file. */
    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+).*");

    static byte[] small;
    /** Large enough for chunks of several MiB: the chunk buffers that are reused. */
    static byte[] large;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeFile() throws Exception {
        small = new byte[200 * 1024];
        new Random(1).nextBytes(small);
        Files.write(Files.createDirectories(host.home("alice").resolve("pub")).resolve("small.bin"), small);
        large = new byte[40 * 1024 * 1024];
        new Random(2).nextBytes(large);
        Files.write(host.home("alice").resolve("pub/large.bin"), large);
    }

    private String[] get(String path, Path out) {
        return new String[] {"get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts",
            dir.resolve("known_hosts").toString(), "--json", "alice@127.0.0.1:" + host.port() + ":" + path, "-o",
            out.toString()};
    }

    private void assertDownloaded(MpftCli.Run run, Path file) throws IOException {
        assertDownloaded(run, file, small);
    }

    private void assertDownloaded(MpftCli.Run run, Path file, byte[] content) throws IOException {
        assertThat(run.exitCode()).as(run + "\nhost:\n" + host.output()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        Files.delete(file);
    }

    private static List<String> listing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void recordsAClassArchiveOnceAndMapsItAfterwards() throws Exception {
        MpftCli cli = new MpftCli(dir, PASSWORD);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("MPFT_CACHE_DIR", cache.toString(), "MPFT_NATIVE_CACHE", "off");

        MpftCli.Run version = cli.launcher(env, "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(listing(cache)).as("only a download records an archive").isEmpty();

        MpftCli.Run failed = cli.launcher(env, get("pub/missing.bin", out));
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(4);
        assertThat(listing(cache)).as("a failed run keeps no archive").isEmpty();

        MpftCli.Run recording = cli.launcher(env, get("pub/small.bin", out));
        assertDownloaded(recording, out.resolve("small.bin"));
        List<String> archives = listing(cache);
        assertThat(archives).as("one complete archive, no temporary file").hasSize(1)
                .allMatch(name -> name.matches("client-\\d+\\.jsa"));
        long recorded = Files.size(cache.resolve(archives.get(0)));
        assertThat(recorded).isGreaterThan(1024 * 1024);

        MpftCli.Run mapped = cli.launcher(env, get("pub/small.bin", out));
        assertDownloaded(mapped, out.resolve("small.bin"));
        assertThat(mapped.stdout().strip().split("\n")).as("nothing but the summary on stdout").hasSize(1);
        assertThat(listing(cache)).containsExactlyElementsOf(archives);
        assertThat(Files.size(cache.resolve(archives.get(0)))).isEqualTo(recorded);

        MpftCli.Run off = cli.launcher(Map.of("MPFT_CACHE_DIR", cache.toString(), "MPFT_CDS", "off",
                "MPFT_NATIVE_CACHE", "off"), get("pub/small.bin", out));
        assertDownloaded(off, out.resolve("small.bin"));
    }

    @Test
    void keepsNettysNativeLibrariesOnceAndLoadsThemFromThere() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        MpftCli cli = new MpftCli(dir, PASSWORD);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("MPFT_CACHE_DIR", cache.toString(), "MPFT_CDS", "off");

        assertDownloaded(cli.launcher(env, get("pub/small.bin", out)), out.resolve("small.bin"));
        Path natives = awaitNativeFolder(cache);
        List<String> libraries = listing(natives);
        assertThat(libraries).anyMatch(n -> n.matches("libnetty_quiche42_linux_\\w+\\.so"))
                .anyMatch(n -> n.matches("libnetty_transport_native_epoll_\\w+\\.so")).hasSize(2);
        try (JarFile jar = new JarFile(MpftCli.cliJar().toFile())) {
            for (String library : libraries) {
                try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/native/" + library))) {
                    assertThat(Files.readAllBytes(natives.resolve(library))).as(library).isEqualTo(in.readAllBytes());
                }
            }
        }

        // netty logs each library it loads: by name from java.library.path, by the file's path when it unpacked it
        String watch = "-Dlogback.configurationFile=" + MpftCli.nativeLoaderLog(dir);
        MpftCli.Run cached = cli.launcher(Map.of("MPFT_CACHE_DIR", cache.toString(), "MPFT_CDS", "off",
                "JAVA_OPTS", watch), get("pub/small.bin", out));
        assertDownloaded(cached, out.resolve("small.bin"));
        assertThat(cached.stderr()).contains("Successfully loaded the library netty_quiche42_linux_")
                .contains("Successfully loaded the library netty_transport_native_epoll_")
                .doesNotContain("Successfully loaded the library /");
        assertThat(listing(cache)).containsExactly(natives.getFileName().toString());

        MpftCli.Run off = cli.launcher(Map.of("MPFT_CACHE_DIR", cache.toString(), "MPFT_CDS", "off",
                "JAVA_OPTS", watch, "MPFT_NATIVE_CACHE", "off"), get("pub/small.bin", out));
        assertDownloaded(off, out.resolve("small.bin"));
        assertThat(off.stderr()).as("MPFT_NATIVE_CACHE=off: netty unpacks the libraries as it does on its own")
                .contains("Successfully loaded the library /").doesNotContain("Successfully loaded the library netty_");
    }

    /**
     * With {@code JAVA_HOME} unset and an older java on the {@code PATH}, the launcher runs the newest Java 25 or
     * later of {@code MPFT_JAVA_DIRS}; {@code JAVA_HOME}, when set, wins; an older Java is never taken. The
     * installations here are stand-ins, as a Java 26 cannot be real on this machine: a {@code release} file with
     * the version and a {@code bin/java} that notes its name, then runs the tests' java.
     */
    @Test
    void runsTheNewestJava25OrLaterItFindsWhenJavaHomeIsUnset() throws Exception {
        assumeTrue(Runtime.version().feature() < 25, "the PATH's java (the tests') must be older than Java 25");
        MpftCli cli = new MpftCli(dir, PASSWORD);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path ran = dir.resolve("ran");
        Path jvms = dir.resolve("jvms");
        for (String version : List.of("21.0.4", "25.0.1", "26")) {
            standInJava(jvms.resolve("java-" + version), version, ran);
        }
        Map<String, String> env = Map.of("MPFT_JAVA_DIRS", "/nonexistent:" + jvms, "MPFT_CDS", "off",
                "MPFT_NATIVE_CACHE", "off");

        assertDownloaded(cli.launcherChoosingJava(env, get("pub/small.bin", out)), out.resolve("small.bin"));
        assertThat(Files.readAllLines(ran)).containsExactly("java-26");

        Files.delete(ran);
        assertDownloaded(cli.launcher(env, get("pub/small.bin", out)), out.resolve("small.bin"));
        assertThat(ran).as("JAVA_HOME is set: its java runs").doesNotExist();

        Path older = dir.resolve("older");
        standInJava(older.resolve("java-21"), "21.0.4", ran);
        assertDownloaded(cli.launcherChoosingJava(Map.of("MPFT_JAVA_DIRS", older.toString(), "MPFT_CDS", "off",
                "MPFT_NATIVE_CACHE", "off"), get("pub/small.bin", out)), out.resolve("small.bin"));
        assertThat(ran).as("only Java 21 found: the PATH's java runs").doesNotExist();
    }

    /**
     * A Java 25 or later installed on this machine (the launcher's default folders) is the one a user without
     * {@code JAVA_HOME} gets: it downloads a file of several chunks of several MiB (netty without
     * {@code sun.misc.Unsafe} there) with no warning of the JVM's on stderr, records its ahead-of-time cache
     * once and starts from it afterwards.
     */
    @Test
    void downloadsOnAnInstalledJava25WithItsAheadOfTimeCache() throws Exception {
        assumeTrue(Runtime.version().feature() < 25, "the PATH's java (the tests') must be older than Java 25");
        Path java25 = installedJava25();
        assumeTrue(java25 != null, "no Java 25 or later in /usr/lib/jvm, /usr/lib64/jvm or /Library/Java");
        MpftCli cli = new MpftCli(dir, PASSWORD);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("MPFT_CACHE_DIR", cache.toString(), "MPFT_NATIVE_CACHE", "off");

        MpftCli.Run version = cli.launcherChoosingJava(env, "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stdout()).contains(java25.toString());
        assertThat(listing(cache)).as("only a download records a cache").isEmpty();

        MpftCli.Run recording = cli.launcherChoosingJava(env, get("pub/large.bin", out));
        assertDownloaded(recording, out.resolve("large.bin"), large);
        assertThat(recording.stderr()).as("the JVM's notices stay off stderr").doesNotContain("WARNING");
        Path aot = awaitFile(cache, "client-\\d+\\.aot");

        MpftCli.Run mapped = cli.launcherChoosingJava(env, get("pub/large.bin", out));
        assertDownloaded(mapped, out.resolve("large.bin"), large);
        assertThat(mapped.stdout().strip().split("\n")).as("nothing but the summary on stdout").hasSize(1);
        assertThat(mapped.stderr()).doesNotContain("WARNING");
        assertThat(listing(cache)).containsExactly(aot.getFileName().toString());
    }

    /** A Java installation, not a real one: its release file says {@code version}; its java notes its folder. */
    private static void standInJava(Path home, String version, Path ran) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho " + home.getFileName() + " >> '" + ran + "'\nexec '"
                + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
    }

    /** The newest Java 25 or later in the launcher's default folders, or null. */
    private static Path installedJava25() throws IOException {
        Path best = null;
        int bestFeature = 24;
        for (String folder : List.of("/usr/lib/jvm", "/usr/lib64/jvm", "/Library/Java/JavaVirtualMachines")) {
            for (String name : listing(Path.of(folder))) {
                for (Path home : List.of(Path.of(folder, name), Path.of(folder, name, "Contents", "Home"))) {
                    Path release = home.resolve("release");
                    if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
                        continue;
                    }
                    for (String line : Files.readAllLines(release)) {
                        Matcher m = JAVA_VERSION.matcher(line);
                        if (m.matches() && Integer.parseInt(m.group(1)) > bestFeature) {
                            bestFeature = Integer.parseInt(m.group(1));
                            best = home;
                        }
                    }
                }
            }
        }
        return best;
    }

    /** The file named like {@code pattern} that a background step renames into {@code folder} (polled). */
    private static Path awaitFile(Path folder, String pattern) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (String name : listing(folder)) {
                if (name.matches(pattern)) {
                    return folder.resolve(name);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + pattern + " in " + folder + ": " + listing(folder));
    }

    /** The folder the first run's background copy renames into place (polled: it runs after that run began). */
    private static Path awaitNativeFolder(Path cache) throws Exception {
        return awaitFile(cache, "native-\\d+");
    }
}
