package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Attached;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ClusterChallenge;
import org.mpft.protocol.ClusterHello;
import org.mpft.protocol.ClusterProof;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Nack;
import org.mpft.protocol.Open;
import org.mpft.protocol.ServerHello;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * A secondary lets in only the client its primary gave a ticket to, and serves it only what the primary
 * assigned: a raw protocol client (no {@code FileTransferClient}) presents a forged ticket, an expired one
 * (made with the cluster secret, so only the expiry is wrong), a good one, then asks for a chunk that was
 * never assigned.
 */
@Timeout(300)
class MultiPathTicketIT {

    private static final String SECRET = "t".repeat(48);

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
    void forgedExpiredAndUnassignedRequestsAreRefused() throws Exception {
        Path secret = hosts.secret("cluster.secret", SECRET);
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        MultiPathHosts.randomFile(hosts.home(), "data/t.bin", 8 << 20, 7);

        try (RawConnection toPrimary = new RawConnection(transport, primary.port())) {
            toPrimary.send(new Hello(1, Features.MULTI_PATH, "it"));
            toPrimary.expect(ServerHello.class);
            toPrimary.send(new AuthPassword(MultiPathHosts.USER,
                    Bytes.of(MultiPathHosts.PASSWORD.getBytes(StandardCharsets.UTF_8))));
            toPrimary.expect(AuthOk.class);
            toPrimary.send(new Open("data/t.bin", Strategy.ALTERNATE, 0));
            Meta meta = toPrimary.expect(Meta.class);
            assertThat(meta.secondaries()).hasSize(1);
            byte[] ticket = meta.secondaries().get(0).ticket().toByteArray();

            byte[] forged = ticket.clone();
            forged[9] ^= 1; // another transfer id, same MAC
            assertRefused(secondary, forged, "forged");

            assertRefused(secondary, expired(ticket), "expired");

            try (RawConnection attached = new RawConnection(transport, secondary.port())) {
                attached.send(new Hello(1, Features.MULTI_PATH, "it"));
                attached.expect(ServerHello.class);
                attached.send(new Attach(Bytes.of(ticket)));
                assertThat(attached.expect(Attached.class).transferId()).isEqualTo(meta.transferId());
                // START was never sent: nothing is assigned, so no chunk may be asked for
                attached.send(new Nack(meta.transferId(), 1, ErrorCode.CHUNK_CORRUPTION));
                ErrorFrame error = attached.expect(ErrorFrame.class);
                assertThat(error.code()).isEqualTo(ErrorCode.INVALID_TICKET);
                assertThat(error.message()).contains("chunk 1").contains("not assigned");
            }
            // a ticket attaches one client only
            assertRefused(secondary, ticket, "already attached");
        }
    }

    /** A primary that does not hold the secret cannot finish the handshake, whatever proof it makes up. */
    @Test
    void secondaryRefusesAPrimaryWithoutTheSecret() throws Exception {
        Path secret = hosts.secret("cluster.secret", SECRET);
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        try (RawConnection impostor = new RawConnection(transport, secondary.port(), FrameType.Link.CLUSTER,
                TransportSettings.defaults().idleTimeout())) {
            byte[] nonce = new byte[32];
            new java.security.SecureRandom().nextBytes(nonce);
            impostor.send(new ClusterHello("impostor", Bytes.of(nonce)));
            ClusterChallenge challenge = impostor.expect(ClusterChallenge.class);
            // the best it can do: a proof made with another secret
            byte[] guess = hmac("another secret of the same length.".getBytes(StandardCharsets.US_ASCII),
                    concat("mpft-cluster-primary".getBytes(StandardCharsets.US_ASCII),
                            challenge.nonce().toByteArray(), nonce));
            impostor.send(new ClusterProof(Bytes.of(guess)));
            ErrorFrame error = impostor.expect(ErrorFrame.class);
            assertThat(error.code()).isEqualTo(ErrorCode.CLUSTER_AUTH_FAILED);
            assertThat(impostor.frames.poll(2, TimeUnit.SECONDS)).as("no CLUSTER_WELCOME").isNull();
        }
        secondary.process().awaitOutput("did not prove the cluster secret", java.time.Duration.ofSeconds(10));
        assertThat(secondary.process().output()).contains("cluster link from").contains("refused")
                .doesNotContain("accepted");
    }

    /**
     * A peer that holds the secret but whose proofs are computed for another certificate than the one the
     * secondary presents on this connection (what a man in the middle relaying a real primary's proofs
     * would send) is refused; the same peer binding the certificate it saw is welcomed.
     */
    @Test
    void proofsForAnotherCertificateAreRefusedAndBoundOnesAccepted() throws Exception {
        Path secret = hosts.secret("cluster.secret", SECRET);
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, Map.of());
        byte[] key = SECRET.getBytes(StandardCharsets.US_ASCII);
        for (boolean bound : new boolean[] {false, true}) {
            try (RawConnection peer = new RawConnection(transport, secondary.port(), FrameType.Link.CLUSTER,
                TransportSettings.defaults().idleTimeout())) {
                byte[] nonce = new byte[32];
                new java.security.SecureRandom().nextBytes(nonce);
                peer.send(new ClusterHello("relay", Bytes.of(nonce)));
                ClusterChallenge challenge = peer.expect(ClusterChallenge.class);
                byte[] certificate = bound ? peer.seenCertificate
                        : java.security.MessageDigest.getInstance("SHA-256").digest(
                                "the relay's own certificate".getBytes(StandardCharsets.US_ASCII));
                byte[] proof = hmac(key, concat("mpft-cluster-primary".getBytes(StandardCharsets.US_ASCII),
                        challenge.nonce().toByteArray(), nonce, certificate));
                peer.send(new ClusterProof(Bytes.of(proof)));
                if (bound) {
                    assertThat(peer.expect(org.mpft.protocol.ClusterWelcome.class).certificateSha256().toByteArray())
                            .isEqualTo(peer.seenCertificate);
                } else {
                    assertThat(peer.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.CLUSTER_AUTH_FAILED);
                }
            }
        }
        assertThat(secondary.process().output()).contains("relayed from a connection with another certificate");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private void assertRefused(MultiPathHosts.Host secondary, byte[] ticket, String why) throws Exception {
        try (RawConnection raw = new RawConnection(transport, secondary.port())) {
            raw.send(new Hello(1, Features.MULTI_PATH, "it"));
            raw.expect(ServerHello.class);
            raw.send(new Attach(Bytes.of(ticket)));
            ErrorFrame error = raw.expect(ErrorFrame.class);
            assertThat(error.code()).isEqualTo(ErrorCode.INVALID_TICKET);
            assertThat(error.message()).contains(why);
        }
    }

    /**
     * The same ticket with its expiry moved into the past and a valid MAC (made with the cluster secret, as
     * only a primary can): the layout is {@code ... i64 expiresAt | 16 bytes id | 32 bytes MAC}.
     */
    private static byte[] expired(byte[] ticket) throws Exception {
        byte[] body = Arrays.copyOf(ticket, ticket.length - 32);
        ByteBuffer.wrap(body).putLong(body.length - 16 - 8, System.currentTimeMillis() - 1000);
        byte[] key = hmac(SECRET.getBytes(StandardCharsets.US_ASCII),
                "mpft-derive:ticket-v1".getBytes(StandardCharsets.US_ASCII));
        byte[] mac = hmac(key, body);
        byte[] sealed = Arrays.copyOf(body, body.length + 32);
        System.arraycopy(mac, 0, sealed, body.length, 32);
        return sealed;
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

}
