package org.mpft.it;

import org.mpft.transport.OpensslPki;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.client.PathSummary;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.transport.CertificateAuthorities;

/**
 * A primary presenting the administrator's CA-issued certificate (made with the real openssl) and a secondary
 * with its self-signed one: a client verifying the primary against the CA downloads over both paths, the
 * primary never put to the host keys, the secondary accepted as the verified primary vouches for it.
 */
@Timeout(300)
class TlsCertificateAuthorityMultiPathIT {

    @TempDir
    Path work;

    private MultiPathHosts hosts;

    @AfterEach
    void tearDown() {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void theCaVerifiedPrimaryVouchesForItsSecondary() throws Exception {
        OpensslPki pki = new OpensslPki(Files.createDirectories(work.resolve("pki")));
        Path ca = pki.certificateAuthority("ca");
        Path certificate = pki.serverCertificate("primary", ca, "IP:127.0.0.1");
        Path key = work.resolve("pki/primary.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        hosts = new MultiPathHosts(work.resolve("hosts"));
        Path secret = hosts.secret("cluster.secret", "x".repeat(48));
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary),
                Map.of("mpft.tls.certificate", certificate.toString(), "mpft.tls.key", key.toString()));
        MultiPathHosts.awaitLinks(primary, 1);
        Path file = MultiPathHosts.randomFile(hosts.home(), "data/ca.bin", 8 << 20, 11);

        List<String> asked = new CopyOnWriteArrayList<>();
        Path out = work.resolve("ca.bin");
        DownloadRequest request = DownloadRequest.builder(MultiPathHosts.USER, "127.0.0.1", "data/ca.bin", out)
                .port(primary.port())
                .credentials(new Credentials.Password(MultiPathHosts.PASSWORD.toCharArray()))
                .hostKeys((server, sha256, vouchedBy) -> {
                    asked.add(server + " vouched by " + vouchedBy);
                    if (vouchedBy == null) {
                        throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "pinning asked for " + server);
                    }
                })
                .certificateAuthorities(CertificateAuthorities.fromPemFile(ca))
                .build();
        DownloadResult result;
        try (FileTransferClient client = new FileTransferClient()) {
            result = client.download(request, p -> { });
        }
        assertThat(result.sha256()).isEqualTo(MultiPathHosts.sha256(file));
        assertThat(result.paths()).extracting(PathSummary::server)
                .containsExactly(primary.server(), secondary.server());
        assertThat(asked).containsExactly(secondary.server() + " vouched by " + primary.server());
    }
}
