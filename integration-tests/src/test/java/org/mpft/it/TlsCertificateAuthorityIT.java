package org.mpft.it;

import org.mpft.transport.OpensslPki;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.transport.CertificateAuthorities;

/**
 * A host presenting the administrator's own certificate ({@code mpft.tls.certificate}, {@code mpft.tls.key},
 * issued by a CA made with the real openssl), and the real CLI verifying it with {@code --ca}: no pinning, no
 * {@code known_hosts}; another CA and another host name are refused with the reason. Pinning stays the default.
 */
@Timeout(300)
class TlsCertificateAuthorityIT {

    private static final String PASSWORD = "alice-pw";
    private static final Path PKI = makePki();

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD))
            .pluginProperty("mpft.tls.certificate", PKI.resolve("chain.pem").toString())
            .pluginProperty("mpft.tls.key", PKI.resolve("server.key").toString())
            .build();

    @TempDir
    Path dir;

    /** A CA, a server certificate for IP 127.0.0.1 issued by it (chain file: leaf, CA) and another CA. */
    private static Path makePki() {
        try {
            Path pki = Files.createTempDirectory("mpft-it-pki-");
            OpensslPki openssl = new OpensslPki(pki);
            Path ca = openssl.certificateAuthority("ca");
            Path server = openssl.serverCertificate("server", ca, "IP:127.0.0.1");
            Files.writeString(pki.resolve("chain.pem"), Files.readString(server) + Files.readString(ca));
            Files.setPosixFilePermissions(pki.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
            openssl.certificateAuthority("other");
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void deletePki() throws IOException {
        try (Stream<Path> files = Files.walk(PKI)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String target(String hostName, String file) {
        return "alice@" + hostName + ":" + host.port() + ":" + file;
    }

    private Path knownHosts() {
        return dir.resolve("cli/home/.mpft/known_hosts");
    }

    @Test
    void theListenerPresentsTheAdministratorsCertificate() throws Exception {
        X509Certificate leaf;
        try (var in = Files.newInputStream(PKI.resolve("server.pem"))) {
            leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(host.fingerprint()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())));
    }

    @Test
    void theCliVerifiesWithTheCaAndPinsNothing() throws Exception {
        byte[] content = Files.readAllBytes(host.randomFile("ca-ok.bin", 300_000, 1));
        Path out = dir.resolve("ca-ok.bin");
        MpftCli.Run run = new MpftCli(dir.resolve("cli"), PASSWORD).run("get", "--password-env", "MPFT_PASSWORD",
                "--ca", PKI.resolve("ca/ca.pem").toString(), "-q", target("127.0.0.1", "ca-ok.bin"),
                "-o", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        assertThat(knownHosts()).doesNotExist();
    }

    @Test
    void anotherCaIsRefusedWithTheReason() throws Exception {
        host.randomFile("other-ca.bin", 10_000, 2);
        MpftCli.Run run = new MpftCli(dir.resolve("cli"), PASSWORD).run("get", "--password-env", "MPFT_PASSWORD",
                "--ca", PKI.resolve("other/ca.pem").toString(), target("127.0.0.1", "other-ca.bin"),
                "-o", dir.resolve("other-ca.bin").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).contains("127.0.0.1:" + host.port())
                .contains("not issued by a certificate authority in " + PKI.resolve("other/ca.pem"));
        assertThat(dir.resolve("other-ca.bin")).doesNotExist();
        assertThat(knownHosts()).doesNotExist();
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused() throws Exception {
        // localhost reaches the same listener, but the certificate names IP 127.0.0.1 only
        host.randomFile("other-name.bin", 10_000, 3);
        MpftCli.Run run = new MpftCli(dir.resolve("cli"), PASSWORD).run("get", "--password-env", "MPFT_PASSWORD",
                "--ca", PKI.resolve("ca/ca.pem").toString(), target("localhost", "other-name.bin"),
                "-o", dir.resolve("other-name.bin").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).contains("localhost:" + host.port())
                .contains("not for localhost (it names IP:127.0.0.1)");
        assertThat(knownHosts()).doesNotExist();
    }

    @Test
    void pinningStaysTheDefault() throws Exception {
        host.randomFile("pinned.bin", 10_000, 4);
        MpftCli cli = new MpftCli(dir.resolve("cli"), PASSWORD);
        MpftCli.Run refused = cli.run("get", "--password-env", "MPFT_PASSWORD", target("127.0.0.1", "pinned.bin"),
                "-o", dir.resolve("pinned.bin").toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.stderr()).contains("--accept-new");
        MpftCli.Run pinned = cli.run("get", "--password-env", "MPFT_PASSWORD", "--accept-new", "-q",
                target("127.0.0.1", "pinned.bin"), "-o", dir.resolve("pinned.bin").toString());
        assertThat(pinned.exitCode()).as(pinned.toString()).isZero();
        assertThat(Files.readString(knownHosts())).contains("127.0.0.1:" + host.port() + " SHA256:"
                + Base64.getEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(host.fingerprint())));
    }

    @Test
    void theClientLibraryVerifiesWithTheCa() throws Exception {
        byte[] content = Files.readAllBytes(host.randomFile("library.bin", 100_000, 5));
        Path out = dir.resolve("library.bin");
        DownloadRequest pinning = host.request("library.bin", out, false);
        DownloadRequest request = DownloadRequest.builder("alice", "127.0.0.1", "library.bin", out)
                .port(host.port())
                .credentials(pinning.credentials())
                .hostKeys((server, sha256, vouchedBy) -> {
                    throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "pinning asked for " + server);
                })
                .certificateAuthorities(CertificateAuthorities.fromPemFile(PKI.resolve("ca/ca.pem")))
                .build();
        DownloadResult result = host.client().download(request, p -> { });
        assertThat(result).isNotNull();
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
    }
}
