package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.OpenSshIdentity;
import org.mpft.host.OpenSsh;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Attached;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.AuthPublicKey;
import org.mpft.protocol.AuthSignedData;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.Hello;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Open;
import org.mpft.protocol.ServerHello;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;

/**
 * A secondary has no login of its own: a raw protocol client on a secondary's port is refused when it sends
 * a password login or a public-key login (credentials the hosts accept: the same key login answers AUTH_OK on
 * the primary), or an OPEN without logging in; a client holding a ticket from the primary still attaches.
 */
@Timeout(300)
class SecondaryLoginIT {

    private static final String SECRET = "l".repeat(48);

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private final QuicTransport transport = QuicTransport.create("it-raw", 1);

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
    }

    @AfterEach
    void tearDown() {
        transport.close();
        hosts.close();
    }

    @Test
    void loginsAreRefusedAndTicketsStillAttach() throws Exception {
        Path keyFile = OpenSsh.ed25519Key(work, "id_ed25519");
        hosts.authorizedKeys(Path.of(keyFile + ".pub"));
        Path secret = hosts.secret("cluster.secret", SECRET);
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        MultiPathHosts.randomFile(hosts.home(), "data/l.bin", 8 << 20, 3);

        try (RawConnection raw = new RawConnection(transport, secondary.port())) {
            raw.send(new Hello(1, Features.MULTI_PATH, "it"));
            raw.expect(ServerHello.class);
            // the right password of a user the secondary's host knows: refused all the same
            raw.send(new AuthPassword(MultiPathHosts.USER,
                    Bytes.of(MultiPathHosts.PASSWORD.getBytes(StandardCharsets.UTF_8))));
            assertRefusedAsSecondary(raw.expect(ErrorFrame.class));
        }

        // a key the user may log in with (the same login answers AUTH_OK on the primary): refused all the same
        OpenSshIdentity key = OpenSshIdentity.load(keyFile);
        try (RawConnection raw = new RawConnection(transport, primary.port())) {
            raw.send(keyLogin(raw, key));
            assertThat(raw.expect(AuthOk.class).user()).isEqualTo(MultiPathHosts.USER);
        }
        try (RawConnection raw = new RawConnection(transport, secondary.port())) {
            raw.send(keyLogin(raw, key));
            assertRefusedAsSecondary(raw.expect(ErrorFrame.class));
        }

        try (RawConnection raw = new RawConnection(transport, secondary.port())) {
            raw.send(new Hello(1, Features.MULTI_PATH, "it"));
            raw.expect(ServerHello.class);
            raw.send(new Open("data/l.bin", Strategy.ALTERNATE, 0));
            assertThat(raw.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        }

        try (RawConnection toPrimary = new RawConnection(transport, primary.port())) {
            toPrimary.send(new Hello(1, Features.MULTI_PATH, "it"));
            toPrimary.expect(ServerHello.class);
            toPrimary.send(new AuthPassword(MultiPathHosts.USER,
                    Bytes.of(MultiPathHosts.PASSWORD.getBytes(StandardCharsets.UTF_8))));
            toPrimary.expect(AuthOk.class);
            toPrimary.send(new Open("data/l.bin", Strategy.ALTERNATE, 0));
            Meta meta = toPrimary.expect(Meta.class);
            assertThat(meta.secondaries()).hasSize(1);
            try (RawConnection attached = new RawConnection(transport, secondary.port())) {
                attached.send(new Hello(1, Features.MULTI_PATH, "it"));
                attached.expect(ServerHello.class);
                attached.send(new Attach(meta.secondaries().get(0).ticket()));
                assertThat(attached.expect(Attached.class).transferId()).isEqualTo(meta.transferId());
            }
        }
        secondary.process().awaitOutput("refused: this instance is a secondary", Duration.ofSeconds(10));
    }

    /** HELLO, then an AUTH_PUBLIC_KEY signed the way a client signs it (challenge, user, the server's certificate). */
    private static AuthPublicKey keyLogin(RawConnection raw, OpenSshIdentity key) throws Exception {
        raw.send(new Hello(1, Features.MULTI_PATH, "it"));
        ServerHello hello = raw.expect(ServerHello.class);
        byte[] signed = AuthSignedData.of(hello.challenge(), MultiPathHosts.USER, Bytes.of(raw.seenCertificate));
        return new AuthPublicKey(MultiPathHosts.USER, key.keyAlgorithm(), Bytes.of(key.publicKeyX509()),
                Bytes.of(key.sign(signed)));
    }

    private static void assertRefusedAsSecondary(ErrorFrame error) {
        assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(error.message()).contains("sec-1 is a secondary").contains("ticket from the primary");
    }
}
