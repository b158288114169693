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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mpft}, the launcher a user runs from a checkout, against the real host with the real plugin jar, over
 * real QUIC on 127.0.0.1: what it keeps in {@code MPFT_CACHE_DIR} (the class-data archive, netty's native
 * libraries) is made once, only when complete, and used by the runs after.
 */
@Timeout(300)
class LauncherIT {

    private static final String PASSWORD = "alice-pw";

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD).read("/pub"))
            .build();

    static byte[] small;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeFile() throws Exception {
        small = new byte[200 * 1024];
        new Random(1).nextBytes(small);
        Files.write(Files.createDirectories(host.home("alice").resolve("pub")).resolve("small.bin"), small);
    }

    private String[] get(String path, Path out) {
        return new String[] {"get", "--password-env", "MPFT_PASSWORD", "--accept-new", "--known-hosts",
            dir.resolve("known_hosts").toString(), "--json", "alice@127.0.0.1:" + host.port() + ":" + path, "-o",
            out.toString()};
    }

    private void assertDownloaded(MpftCli.Run run, Path file) throws IOException {
        assertThat(run.exitCode()).as(run + "\nhost:\n" + host.output()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(small);
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

    /** The folder the first run's background copy renames into place (polled: it runs after that run began). */
    private static Path awaitNativeFolder(Path cache) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (String name : listing(cache)) {
                if (name.matches("native-\\d+")) {
                    return cache.resolve(name);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no native-* folder in " + cache + ": " + listing(cache));
    }
}
