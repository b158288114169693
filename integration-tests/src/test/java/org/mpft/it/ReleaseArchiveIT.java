package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release folder as a user and an admin get it ({@code mvn -B -Prelease package}; this test runs only with
 * {@code -Prelease}): the Linux x86-64 archive, unpacked, downloads from a real host with {@code bin/mpft get}
 * where the PATH holds no {@code java} and JAVA_HOME is unset (its jlinked runtime runs it, netty's natives load
 * from its {@code lib/native}); an archive without
 * a runtime says that it needs Java; the Windows zip, the plugin jar with its checksum and the host jar are there.
 */
class ReleaseArchiveIT {

    private static final String PASSWORD = "alice-pw";
    private static final int SIZE = 6 * 1024 * 1024;

    @TempDir
    static Path shared;

    static HostProcess host;
    static int quicPort;
    static byte[] data;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHost() throws Exception {
        quicPort = FreePorts.udp();
        host = HostProcess.builder(shared.resolve("host"))
                .user(HostProcess.User.withPassword("alice", PASSWORD).read("/pub"))
                .withPlugin()
                .pluginProperty("mpft.bind", "127.0.0.1")
                .pluginProperty("mpft.port", Integer.toString(quicPort))
                .start();
        host.awaitOutput("channel 'mpft' started", Duration.ofSeconds(60));
        data = new byte[SIZE];
        new Random(17).nextBytes(data);
        Files.write(Files.createDirectories(host.home("alice").resolve("pub")).resolve("data.bin"), data);
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    private static Path releaseDir() {
        String property = System.getProperty("mpft.it.releaseDir");
        assertThat(property).as("system property mpft.it.releaseDir (set by the release profile)").isNotNull();
        return Path.of(property);
    }

    private static Path archive(String glob) throws Exception {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(releaseDir(), glob)) {
            for (Path path : found) {
                return path;
            }
        }
        throw new AssertionError("no " + glob + " in " + releaseDir());
    }

    /** Unpacks a .tar.gz with the system's tar, as the README's one line does, and returns its top folder. */
    private Path untar(Path archive) throws Exception {
        Path into = Files.createDirectories(dir.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(output).isZero();
        try (Stream<Path> top = Files.list(into)) {
            return top.findFirst().orElseThrow();
        }
    }

    /** A PATH folder with only the tools the launcher calls: no java. */
    private Path pathWithoutJava() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("path-bin"));
        for (String tool : List.of("dirname", "readlink")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
        }
        try (Stream<Path> tools = Files.list(bin)) {
            assertThat(tools.map(p -> p.getFileName().toString())).doesNotContain("java");
        }
        return bin;
    }

    private MpftCli.Run launch(Path launcher, String... args) throws Exception {
        return launch(launcher, Map.of(), args);
    }

    private MpftCli.Run launch(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(MpftCli.withoutTerminal(List.of(launcher.toString())));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", pathWithoutJava().toString(),
                "HOME", Files.createDirectories(dir.resolve("home")).toString(), "MPFT_PASSWORD", PASSWORD));
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = pb.start();
        try {
            if (!process.waitFor(240, TimeUnit.SECONDS)) {
                throw new AssertionError("mpft did not finish in 240 s\n" + Files.readString(err));
            }
        } finally {
            process.destroyForcibly();
        }
        return new MpftCli.Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theLinuxArchiveDownloadsWithNoJavaOnThePath() throws Exception {
        Path top = untar(archive("mpft-*-linux-x86_64.tar.gz"));
        assertThat(top.resolve("runtime/bin/java")).isExecutable();
        assertThat(Files.readString(top.resolve("runtime/release"))).contains("JAVA_VERSION=");

        assertThat(top.resolve("lib/native/libnetty_quiche42_linux_x86_64.so")).isRegularFile();
        assertThat(top.resolve("lib/native/libnetty_transport_native_epoll_x86_64.so")).isRegularFile();
        // netty logs each library it loads: by name from java.library.path (lib/native), by path when it unpacked it
        Path logback = MpftCli.nativeLoaderLog(dir);

        MpftCli.Run run = launch(top.resolve("bin/mpft"), Map.of("JAVA_OPTS", "-Dlogback.configurationFile=" + logback),
                "get", "--password-env", "MPFT_PASSWORD",
                "--accept-new", "--known-hosts", dir.resolve("known_hosts").toString(), "--json",
                "alice@127.0.0.1:" + quicPort + ":/pub/data.bin", "-o", dir.resolve("data.bin").toString());

        assertThat(run.exitCode()).as(run + "\nhost:\n" + host.output()).isZero();
        assertThat(run.jsonNumber("bytes")).isEqualTo(SIZE);
        assertThat(run.jsonString("sha256"))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(Files.readAllBytes(dir.resolve("data.bin"))).isEqualTo(data);
        assertThat(run.stderr()).contains("Successfully loaded the library netty_quiche42_linux_x86_64")
                .contains("Successfully loaded the library netty_transport_native_epoll_x86_64")
                .doesNotContain("Successfully loaded the library /");
    }

    @Test
    void anArchiveWithoutARuntimeSaysItNeedsJava() throws Exception {
        // macOS: no JDK of it is reachable from a build machine, so its archives never have a runtime
        Path top = untar(archive("mpft-*-osx-aarch64-noruntime.tar.gz"));
        assertThat(top.resolve("runtime")).doesNotExist();
        MpftCli.Run run = launch(top.resolve("bin/mpft"), "--version");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr()).contains("needs Java 17 or newer on the PATH or in JAVA_HOME");
    }

    @Test
    void theWindowsZipThePluginAndTheHostAreInTheReleaseFolder() throws Exception {
        try (ZipFile zip = new ZipFile(archive("mpft-*-windows-x86_64-noruntime.zip").toFile())) {
            List<String> names = zip.stream().map(e -> e.getName()).toList();
            assertThat(names).anyMatch(n -> n.endsWith("/bin/mpft.bat")).anyMatch(n -> n.endsWith("/lib/mpft-cli.jar"));
        }
        for (String platform : List.of("osx-x86_64", "osx-aarch64")) {
            archive("mpft-*-" + platform + "-noruntime.tar.gz");
        }
        // Linux ARM: without a runtime, unless the build was given arm64 jmods (-Drelease.jmods, README "Install")
        try (DirectoryStream<Path> arm = Files.newDirectoryStream(releaseDir(), "mpft-*-linux-aarch64.tar.gz")) {
            Path withRuntime = null;
            for (Path path : arm) {
                withRuntime = path;
            }
            if (withRuntime == null) {
                archive("mpft-*-linux-aarch64-noruntime.tar.gz");
            } else {
                byte[] java = Files.readAllBytes(untar(withRuntime).resolve("runtime/bin/java"));
                // an ELF executable whose e_machine (offset 18, little-endian) is EM_AARCH64 (183)
                assertThat(java[18] & 0xff | (java[19] & 0xff) << 8).as("e_machine of runtime/bin/java").isEqualTo(183);
            }
        }
        Path plugin = archive("mpft-plugin-*.jar");
        String sums = Files.readString(Path.of(plugin + ".sha256"));
        assertThat(sums).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(plugin))) + "  " + plugin.getFileName() + "\n");
        archive("host-sftp-demo-*-all.jar");
        assertThat(Files.readString(releaseDir().resolve("SHA256SUMS"))).contains(plugin.getFileName().toString());
    }
}
