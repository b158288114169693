package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {

    @TempDir
    Path dir;

    @Test
    void isCreatedOnceAndReloadedWithTheSameFingerprint() throws Exception {
        TlsIdentity created = TlsIdentity.loadOrCreate(dir.resolve("tls"), "node-1");
        TlsIdentity loaded = TlsIdentity.loadOrCreate(dir.resolve("tls"), "node-1");

        assertThat(loaded.fingerprintHex()).isEqualTo(created.fingerprintHex()).hasSize(64);
        assertThat(loaded.certificateSha256()).isEqualTo(
                MessageDigest.getInstance("SHA-256").digest(loaded.certificate().getEncoded()));
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(created.privateKey().getEncoded());
        assertThat(loaded.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=node-1");
        loaded.certificate().verify(loaded.certificate().getPublicKey()); // self-signed
    }

    @Test
    void theKeyFileIsReadableByItsOwnerOnly() throws Exception {
        TlsIdentity.loadOrCreate(dir, "x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(TlsIdentity.KEY_FILE))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve(TlsIdentity.CERTIFICATE_FILE))).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void anotherFolderGetsAnotherIdentity() throws Exception {
        assertThat(TlsIdentity.loadOrCreate(dir.resolve("a"), "x").fingerprintHex())
                .isNotEqualTo(TlsIdentity.loadOrCreate(dir.resolve("b"), "x").fingerprintHex());
    }

    @Test
    void aHalfIdentityIsRefusedRatherThanReplaced() throws Exception {
        TlsIdentity.loadOrCreate(dir, "x");
        Files.delete(dir.resolve(TlsIdentity.CERTIFICATE_FILE));
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir, "x"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(TlsIdentity.CERTIFICATE_FILE);
    }

    @Test
    void aDamagedKeyIsReportedWithItsFolder() throws Exception {
        TlsIdentity.loadOrCreate(dir, "x");
        Files.writeString(dir.resolve(TlsIdentity.KEY_FILE), "garbage");
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir, "x"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString());
    }
}
