package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mpft-host check-config} (the real launcher, the real host jar, the real plugin jar in the plugins
 * folder) on the plugin's own settings: the shipped {@code plugin.properties} is valid; a bad one is refused
 * naming every bad key, file and permission; nothing is started or created.
 */
@Timeout(300)
class PluginCheckConfigIT {

    @TempDir
    Path dir;
    private Path config;

    /** What a process printed and how it ended. */
    private record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Run mpftHost(String... args) throws Exception {
        Path repo = Path.of(System.getProperty(HostProcess.REPO_ROOT_PROPERTY, "..")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("bin/mpft-host").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + System.getenv("PATH"));
        pb.environment().put("MPFT_PW", "alice-pw");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = pb.start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("mpft-host did not finish: " + String.join(" ", args));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @BeforeEach
    void hostWithThePlugin() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = Path.of(System.getProperty(HostProcess.PLUGIN_JAR_PROPERTY));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        config = Files.writeString(dir.resolve("host.properties"), """
                sftp.bind=127.0.0.1
                sftp.port=2222
                data.dir=data
                users.file=users.properties
                plugins.dir=plugins
                state.dir=state
                host.key=host.key
                """);
        Run add = mpftHost("user", "add", "--config", config.toString(), "alice", "--password-env", "MPFT_PW");
        assertThat(add.exitCode()).as(add.toString()).isZero();
    }

    @Test
    void theShippedPluginPropertiesAreValidAndNothingStarts() throws Exception {
        Path repo = Path.of(System.getProperty(HostProcess.REPO_ROOT_PROPERTY, "..")).toAbsolutePath();
        Files.copy(repo.resolve("plugin.properties"), dir.resolve("plugins/plugin.properties"));
        Run run = mpftHost("check-config", "--config", config.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("is valid");
        Run explicit = mpftHost("check-config", "--config", config.toString(), "--plugin-properties",
                repo.resolve("plugin.properties").toString());
        assertThat(explicit.exitCode()).as(explicit.toString()).isZero();
        // no listener ran: the plugin's data folder (its TLS identity) and the host key were never created
        assertThat(dir.resolve("state")).doesNotExist();
        assertThat(dir.resolve("host.key")).doesNotExist();
    }

    @Test
    void everyBadKeyFileAndPermissionIsNamed() throws Exception {
        Path key = Files.writeString(dir.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Path secret = Files.writeString(dir.resolve("secret"), "short");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path bad = Files.writeString(dir.resolve("bad-plugin.properties"), """
                mpft.colour=blue
                mpft.window=lots
                mpft.tls.certificate=%s
                mpft.tls.key=%s
                mpft.cluster.secret-file=%s
                """.formatted(dir.resolve("missing-cert.pem"), key, secret));
        Run run = mpftHost("check-config", "--config", config.toString(), "--plugin-properties", bad.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("unknown setting mpft.colour")
                .contains("invalid setting mpft.window=lots")
                .contains(key + " has mode rw-r--r--")
                .contains("mpft.tls.certificate=" + dir.resolve("missing-cert.pem") + ": no such file")
                .contains("mpft.cluster.secret-file=" + secret)
                .contains(bad.toString());
        assertThat(run.stdout()).doesNotContain("is valid");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(bad, "mpft.tls.certificate=" + dir.resolve("missing-cert.pem") + "\nmpft.tls.key=" + key
                + "\n");
        Run missing = mpftHost("check-config", "--config", config.toString(), "--plugin-properties", bad.toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.stderr()).contains("mpft.tls.certificate/mpft.tls.key")
                .contains("mpft.tls.certificate=" + dir.resolve("missing-cert.pem") + ": no such file")
                .contains("TLS key " + key + " "); // not a key (the missing certificate is not its only problem)
        assertThat(dir.resolve("state")).doesNotExist();
    }
}
