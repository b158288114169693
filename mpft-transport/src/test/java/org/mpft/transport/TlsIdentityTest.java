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
    void aKeyFileOpenToGroupOrOthersIsRefusedNamingIt() throws Exception {
        TlsIdentity.loadOrCreate(dir, "x");
        Path key = dir.resolve(TlsIdentity.KEY_FILE);
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw-rw-rw-"}) {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir, "x"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(key.toString()).hasMessageContaining(mode).hasMessageContaining("chmod 600");
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        assertThat(TlsIdentity.loadOrCreate(dir, "x").fingerprintHex()).hasSize(64);
    }

    @Test
    void aKeyFileThatIsASymbolicLinkIsRefused() throws Exception {
        Path real = dir.resolve("real");
        TlsIdentity.loadOrCreate(real, "x");
        Path linked = Files.createDirectory(dir.resolve("linked"));
        Files.copy(real.resolve(TlsIdentity.CERTIFICATE_FILE), linked.resolve(TlsIdentity.CERTIFICATE_FILE));
        Path key = Files.createSymbolicLink(linked.resolve(TlsIdentity.KEY_FILE), real.resolve(TlsIdentity.KEY_FILE));
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(linked, "x"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(key.toString()).hasMessageContaining("symbolic link");
        // a dangling link is not taken for a missing key either
        Files.delete(real.resolve(TlsIdentity.KEY_FILE));
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(linked, "x"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(key.toString()).hasMessageContaining("symbolic link");
    }

    @Test
    void aKeyThatIsNotARegularFileIsRefused() throws Exception {
        TlsIdentity.loadOrCreate(dir, "x");
        Path key = dir.resolve(TlsIdentity.KEY_FILE);
        Files.delete(key);
        Files.createDirectory(key);
        assertThatThrownBy(() -> TlsIdentity.loadOrCreate(dir, "x"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(key.toString()).hasMessageContaining("not a regular file");
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
