package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chains made by the real openssl, checked against CAs and host names by {@link CertificateAuthorities}. */
class CertificateAuthoritiesTest {

    @TempDir
    Path dir;
    private OpensslPki pki;
    private Path ca;

    @BeforeEach
    void makeCa() throws Exception {
        pki = new OpensslPki(dir);
        ca = pki.certificateAuthority("ca");
    }

    private X509Certificate[] chain(Path file) throws Exception {
        return PemFiles.certificates(file).toArray(new X509Certificate[0]);
    }

    @Test
    void aChainOfTheCaNamingTheHostIsAccepted() throws Exception {
        X509Certificate[] chain = chain(pki.serverCertificate("s", ca, "IP:127.0.0.1,DNS:files.example.org,DNS:*.example.net"));
        CertificateAuthorities authorities = CertificateAuthorities.fromPemFile(ca);
        assertThatCode(() -> authorities.check(chain, "127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> authorities.check(chain, "FILES.example.org")).doesNotThrowAnyException();
        assertThatCode(() -> authorities.check(chain, "a.example.net")).doesNotThrowAnyException();
        // the root sent along by the server is no obstacle
        X509Certificate[] withRoot = {chain[0], chain(ca)[0]};
        assertThatCode(() -> authorities.check(withRoot, "127.0.0.1")).doesNotThrowAnyException();
    }

    @Test
    void anotherHostIsRefusedWithTheNamesTheCertificateHolds() throws Exception {
        X509Certificate[] chain = chain(pki.serverCertificate("s", ca, "IP:127.0.0.2,DNS:files.example.org,DNS:*.example.net"));
        CertificateAuthorities authorities = CertificateAuthorities.fromPemFile(ca);
        assertThatThrownBy(() -> authorities.check(chain, "127.0.0.1"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not for 127.0.0.1")
                .hasMessageContaining("IP:127.0.0.2");
        assertThatThrownBy(() -> authorities.check(chain, "other.example.org")).hasMessageContaining("not for");
        assertThatThrownBy(() -> authorities.check(chain, "a.b.example.net")).hasMessageContaining("not for");
        assertThatThrownBy(() -> authorities.check(chain, "example.net")).hasMessageContaining("not for");
        // a host name is never matched against an IP name, nor an address against a DNS name
        assertThatThrownBy(() -> authorities.check(chain(pki.serverCertificate("d", ca, "DNS:127.0.0.1")),
                "127.0.0.1")).hasMessageContaining("not for");
    }

    @Test
    void anotherCaIsRefusedNamingTheCaFile() throws Exception {
        Path other = pki.certificateAuthority("other");
        X509Certificate[] chain = chain(pki.serverCertificate("s", other, "IP:127.0.0.1"));
        assertThatThrownBy(() -> CertificateAuthorities.fromPemFile(ca).check(chain, "127.0.0.1"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("not issued by a certificate authority in " + ca);
    }

    @Test
    void aSelfSignedServerCertificateIsNotACaIssuedOne() throws Exception {
        TlsIdentity self = TlsIdentity.generate("x");
        assertThatThrownBy(() -> CertificateAuthorities.fromPemFile(ca).check(
                new X509Certificate[] {self.certificate()}, "127.0.0.1")).hasMessageContaining("not issued");
    }

    @Test
    void aFileWithoutCertificatesIsNamed() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing\n");
        assertThatThrownBy(() -> CertificateAuthorities.fromPemFile(empty)).hasMessageContaining(empty.toString());
        assertThatThrownBy(() -> CertificateAuthorities.fromPemFile(dir.resolve("none.pem")))
                .hasMessageContaining(dir.resolve("none.pem").toString());
    }

    @Test
    void theSystemTrustStoreLoadsAndDoesNotTrustAPrivateCa() throws Exception {
        X509Certificate[] chain = chain(pki.serverCertificate("s", ca, "IP:127.0.0.1"));
        assertThatThrownBy(() -> CertificateAuthorities.system().check(chain, "127.0.0.1"))
                .hasMessageContaining("the system trust store");
    }
}
