package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Attached;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.AuthPublicKey;
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
 * a password login (with the password the secondary's host would accept), a public-key login, or an OPEN
 * without logging in; a client holding a ticket from the primary still attaches.
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

        try (RawConnection raw = new RawConnection(transport, secondary.port())) {
            raw.send(new Hello(1, Features.MULTI_PATH, "it"));
            ServerHello hello = raw.expect(ServerHello.class);
            KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key.getPrivate());
            signer.update(hello.challenge().toByteArray());
            raw.send(new AuthPublicKey(MultiPathHosts.USER, "Ed25519", Bytes.of(key.getPublic().getEncoded()),
                    Bytes.of(signer.sign())));
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

    private static void assertRefusedAsSecondary(ErrorFrame error) {
        assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(error.message()).contains("sec-1 is a secondary").contains("ticket from the primary");
    }
}
