package org.mpft.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.api.ChannelStartException;
import org.mpft.transport.TlsIdentity;

/** {@code mpft.tls.certificate} and {@code mpft.tls.key}: both or neither, and the identity they name. */
class TlsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void neitherMeansTheSelfSignedIdentity() throws Exception {
        MpftSettings settings = MpftSettings.parse(Map.of());
        assertThat(settings.tlsCertificate()).isNull();
        assertThat(settings.tlsKey()).isNull();
        TlsIdentity identity = MpftInstance.tlsIdentity(settings, dir);
        assertThat(dir.resolve(MpftInstance.TLS_FOLDER).resolve(TlsIdentity.KEY_FILE)).exists();
        assertThat(MpftInstance.tlsIdentity(settings, dir).fingerprintHex()).isEqualTo(identity.fingerprintHex());
    }

    @Test
    void oneWithoutTheOtherIsRefusedNamingBoth() {
        assertThatThrownBy(() -> MpftSettings.parse(Map.of("mpft.tls.certificate", "cert.pem")))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining("mpft.tls.certificate=cert.pem")
                .hasMessageContaining("requires mpft.tls.key");
        assertThatThrownBy(() -> MpftSettings.parse(Map.of("mpft.tls.key", "key.pem")))
                .hasMessageContaining("mpft.tls.key=key.pem")
                .hasMessageContaining("requires mpft.tls.certificate");
    }

    @Test
    void bothLoadTheAdministratorsIdentityRelativeToTheDataFolder() throws Exception {
        TlsIdentity own = TlsIdentity.loadOrCreate(dir.resolve("own"), "files.example.org");
        MpftSettings settings = MpftSettings.parse(Map.of(
                "mpft.tls.certificate", "own/" + TlsIdentity.CERTIFICATE_FILE,
                "mpft.tls.key", dir.resolve("own").resolve(TlsIdentity.KEY_FILE).toString()));
        assertThat(MpftInstance.tlsIdentity(settings, dir).fingerprintHex()).isEqualTo(own.fingerprintHex());
        assertThat(dir.resolve(MpftInstance.TLS_FOLDER)).doesNotExist();
    }

    @Test
    void aCertificateOfAnotherKeyIsRefusedNamingBothFiles() throws Exception {
        TlsIdentity.loadOrCreate(dir.resolve("a"), "a");
        TlsIdentity.loadOrCreate(dir.resolve("b"), "b");
        MpftSettings settings = MpftSettings.parse(Map.of(
                "mpft.tls.certificate", "a/" + TlsIdentity.CERTIFICATE_FILE,
                "mpft.tls.key", "b/" + TlsIdentity.KEY_FILE));
        assertThatThrownBy(() -> MpftInstance.tlsIdentity(settings, dir))
                .isInstanceOf(ChannelStartException.class)
                .hasMessageContaining("mpft.tls.certificate")
                .hasMessageContaining(dir.resolve("a").resolve(TlsIdentity.CERTIFICATE_FILE).toString())
                .hasMessageContaining(dir.resolve("b").resolve(TlsIdentity.KEY_FILE).toString())
                .hasMessageContaining("does not match");
    }

    @Test
    void aKeyOthersCanReadIsRefused() throws Exception {
        TlsIdentity.loadOrCreate(dir.resolve("own"), "x");
        Path key = dir.resolve("own").resolve(TlsIdentity.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        MpftSettings settings = MpftSettings.parse(Map.of(
                "mpft.tls.certificate", "own/" + TlsIdentity.CERTIFICATE_FILE, "mpft.tls.key", "own/" + TlsIdentity.KEY_FILE));
        assertThatThrownBy(() -> MpftInstance.tlsIdentity(settings, dir))
                .hasMessageContaining(key.toString())
                .hasMessageContaining("chmod 600");
    }
}
