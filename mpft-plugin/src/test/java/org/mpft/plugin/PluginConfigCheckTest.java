package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.transport.TlsIdentity;

/** The plugin's check-config: every bad key, value, file and permission named; nothing created. */
class PluginConfigCheckTest {

    @TempDir
    Path dir;

    private static Map<String, String> shipped() throws Exception {
        Path file = Path.of(System.getProperty("user.dir")).getParent().resolve("plugin.properties");
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
        return map;
    }

    @Test
    void theShippedPluginPropertiesHaveNoProblemAndNothingIsCreated() throws Exception {
        Path data = dir.resolve("data");
        assertThat(PluginConfigCheck.problems(shipped(), data)).isEmpty();
        assertThat(data).doesNotExist();
    }

    @Test
    void everyUnknownKeyAndBadValueIsNamed() {
        List<String> problems = PluginConfigCheck.problems(Map.of(
                "mpft.colour", "blue", "mpft.window", "many", "mpft.port", "70000", "mpft.bind", " ",
                "sftp.port", "22"), dir);
        assertThat(String.join("\n", problems))
                .contains("unknown setting mpft.colour")
                .contains("invalid setting mpft.window=many")
                .contains("invalid setting mpft.port=70000")
                .contains("invalid setting mpft.bind")
                .doesNotContain("sftp.port");
        assertThat(problems).hasSize(4);
    }

    @Test
    void aRuleBetweenKeysIsNamed() {
        assertThat(PluginConfigCheck.problems(Map.of("mpft.tls.key", "key.pem"), dir))
                .anySatisfy(p -> assertThat(p).contains("mpft.tls.key=key.pem").contains("requires mpft.tls.certificate"));
    }

    @Test
    void missingTlsFilesAndAnOpenKeyAreNamed() throws Exception {
        List<String> missing = PluginConfigCheck.problems(Map.of("mpft.tls.certificate", "cert.pem",
                "mpft.tls.key", "key.pem"), dir);
        assertThat(String.join("\n", missing))
                .contains("mpft.tls.certificate=cert.pem: no such file: " + dir.resolve("cert.pem"))
                .contains("TLS key " + dir.resolve("key.pem") + " does not exist");
        assertThat(missing).hasSize(2);

        TlsIdentity.loadOrCreate(dir.resolve("own"), "x");
        Path key = dir.resolve("own").resolve(TlsIdentity.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(PluginConfigCheck.problems(Map.of("mpft.tls.certificate", "own/" + TlsIdentity.CERTIFICATE_FILE,
                "mpft.tls.key", "own/" + TlsIdentity.KEY_FILE), dir))
                .singleElement().satisfies(p -> assertThat(p).contains(key.toString()).contains("chmod 600"));
        // a missing certificate and an open key: both named
        assertThat(PluginConfigCheck.problems(Map.of("mpft.tls.certificate", "none.pem",
                "mpft.tls.key", "own/" + TlsIdentity.KEY_FILE), dir)).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("none.pem: no such file"))
                .anySatisfy(p -> assertThat(p).contains("chmod 600"));
    }

    @Test
    void aGeneratedKeyOpenToOthersIsNamed() throws Exception {
        Path folder = dir.resolve(MpftInstance.TLS_FOLDER);
        TlsIdentity.loadOrCreate(folder, "x");
        assertThat(PluginConfigCheck.problems(Map.of(), dir)).isEmpty();
        Files.setPosixFilePermissions(folder.resolve(TlsIdentity.KEY_FILE), PosixFilePermissions.fromString("rw-rw----"));
        assertThat(PluginConfigCheck.problems(Map.of(), dir))
                .singleElement().satisfies(p -> assertThat(p).contains(folder.resolve(TlsIdentity.KEY_FILE).toString()));
    }

    @Test
    void aBadClusterSecretFileIsNamed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "too short");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> secondary = Map.of("mpft.role", "secondary", "mpft.cluster.secret-file", "secret",
                "mpft.cluster.accept-primaries", "127.0.0.1");
        assertThat(PluginConfigCheck.problems(secondary, dir))
                .singleElement().satisfies(p -> assertThat(p).contains("mpft.cluster.secret-file").contains("bytes"));
        Files.delete(secret);
        assertThat(PluginConfigCheck.problems(secondary, dir))
                .singleElement().satisfies(p -> assertThat(p).contains("no such file"));
    }

    @Test
    void theChannelAnswersTheHostsCheck() {
        assertThat(new MpftChannel().checkConfiguration(Map.of("mpft.nope", "1"), dir))
                .containsExactly("unknown setting mpft.nope");
    }
}
