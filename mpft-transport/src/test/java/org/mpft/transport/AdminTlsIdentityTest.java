package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An administrator's own certificate and key, made by the real openssl, loaded by {@link TlsIdentity#load}. */
class AdminTlsIdentityTest {

    @TempDir
    Path dir;
    private OpensslPki pki;
    private Path ca;
    private Path cert;
    private Path key;

    @BeforeEach
    void makePki() throws Exception {
        pki = new OpensslPki(dir);
        ca = pki.certificateAuthority("ca");
        cert = pki.serverCertificate("server", ca, "IP:127.0.0.1");
        key = dir.resolve("server.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void loadsAPkcs8KeyAndItsChain() throws Exception {
        Path chain = Files.writeString(dir.resolve("chain.pem"), Files.readString(cert) + Files.readString(ca));
        TlsIdentity identity = TlsIdentity.load(chain, key);
        assertThat(identity.chain()).hasSize(2);
        assertThat(identity.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=server");
        assertThat(identity.certificateSha256()).isEqualTo(TlsIdentity.sha256(identity.certificate()));
    }

    @Test
    void loadsTraditionalEcAndRsaKeys() throws Exception {
        Path traditional = dir.resolve("traditional.key");
        pki.openssl("ec", "-in", key.toString(), "-out", traditional.toString());
        Files.setPosixFilePermissions(traditional, PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(traditional)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(TlsIdentity.load(cert, traditional).privateKey().getAlgorithm()).isEqualTo("EC");

        Path rsaKey = dir.resolve("rsa.key");
        pki.openssl("genrsa", "-traditional", "-out", rsaKey.toString(), "2048");
        Files.setPosixFilePermissions(rsaKey, PosixFilePermissions.fromString("rw-------"));
        Path rsaCert = dir.resolve("rsa.pem");
        pki.openssl("req", "-x509", "-key", rsaKey.toString(), "-out", rsaCert.toString(), "-days", "2",
                "-subj", "/CN=rsa");
        assertThat(Files.readString(rsaKey)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(TlsIdentity.load(rsaCert, rsaKey).privateKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void aCertificateOfAnotherKeyIsRefusedNamingBothFiles() throws Exception {
        Path other = pki.serverCertificate("other", ca, "IP:127.0.0.1");
        assertThatThrownBy(() -> TlsIdentity.load(other, key))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(other.toString())
                .hasMessageContaining(key.toString())
                .hasMessageContaining("does not match");
    }

    @Test
    void aKeyOpenToOthersIsRefusedLikeTheGeneratedOne() throws Exception {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> TlsIdentity.load(cert, key))
                .hasMessageContaining(key.toString())
                .hasMessageContaining("chmod 600");
    }

    @Test
    void aSymbolicLinkKeyIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.key"), key);
        assertThatThrownBy(() -> TlsIdentity.load(cert, link)).hasMessageContaining("symbolic link");
    }

    @Test
    void missingFilesAndWrongContentAreNamed() throws Exception {
        assertThatThrownBy(() -> TlsIdentity.load(cert, dir.resolve("none.key")))
                .hasMessageContaining(dir.resolve("none.key") + " does not exist");
        assertThatThrownBy(() -> TlsIdentity.load(dir.resolve("none.pem"), key))
                .hasMessageContaining(dir.resolve("none.pem").toString());
        assertThatThrownBy(() -> TlsIdentity.load(key, key)).hasMessageContaining("no").hasMessageContaining(
                key.toString());
        Path certAsKey = Files.copy(cert, dir.resolve("cert-as-key.pem"));
        Files.setPosixFilePermissions(certAsKey, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> TlsIdentity.load(cert, certAsKey)).hasMessageContaining("holds no PRIVATE KEY");
        Path encrypted = dir.resolve("encrypted.key");
        pki.openssl("pkey", "-in", key.toString(), "-out", encrypted.toString(), "-aes256", "-passout", "pass:x");
        Files.setPosixFilePermissions(encrypted, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> TlsIdentity.load(cert, encrypted)).hasMessageContaining("encrypted");
    }
}
