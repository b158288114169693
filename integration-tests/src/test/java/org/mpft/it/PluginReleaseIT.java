package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The released plugin is one jar plus its checksum: the build writes {@code mpft-plugin-<version>.jar.sha256}
 * beside the jar in the format of {@code sha256sum}, and the admin's own check ({@code sha256sum -c}) passes
 * for the jar the hosts of these tests load.
 */
@Timeout(120)
class PluginReleaseIT {

    @Test
    void theChecksumFileMatchesTheJarAndSha256sumAcceptsIt() throws Exception {
        Path tested = Path.of(System.getProperty(HostProcess.PLUGIN_JAR_PROPERTY));
        String name = tested.getFileName().toString();
        assertThat(name).matches("mpft-plugin-.+\\.jar");
        Path target = Path.of(System.getProperty(HostProcess.REPO_ROOT_PROPERTY, "..")).toAbsolutePath()
                .resolve("mpft-plugin/target");
        Path jar = target.resolve(name);
        Path checksum = target.resolve(name + ".sha256");

        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        assertThat(Files.readString(checksum, StandardCharsets.US_ASCII)).isEqualTo(sha256 + "  " + name + "\n");
        assertThat(Files.readAllBytes(tested)).isEqualTo(Files.readAllBytes(jar));

        // what the admin runs after copying both files
        Process check = new ProcessBuilder("sha256sum", "-c", checksum.getFileName().toString())
                .directory(target.toFile()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output.strip()).isEqualTo(name + ": OK");
    }
}
