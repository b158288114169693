package org.mpft.plugin.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ClusterChallenge;
import org.mpft.protocol.ClusterHello;
import org.mpft.protocol.ClusterProof;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class ClusterHandshakeTest {

    private static final ClusterSecret SECRET = ClusterSecret.of("s".repeat(40).getBytes(StandardCharsets.US_ASCII));
    private static final ClusterSecret OTHER = ClusterSecret.of("t".repeat(40).getBytes(StandardCharsets.US_ASCII));
    /** The certificate the secondary presents on the link, and another one (a man in the middle's). */
    private static final Bytes CERT = Bytes.of(sha256("secondary certificate"));
    private static final Bytes MITM_CERT = Bytes.of(sha256("man in the middle's certificate"));
    private final SecureRandom random = new SecureRandom();

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bothSidesProveTheSecret() throws Exception {
        ClusterHandshake.PrimarySide primary = new ClusterHandshake.PrimarySide(SECRET, "p1", random, CERT);
        ClusterHandshake.SecondarySide secondary = new ClusterHandshake.SecondarySide(SECRET, "s1", random, CERT);
        ClusterHello hello = primary.hello();
        assertThat(hello.nonce().length()).isEqualTo(32);
        ClusterChallenge challenge = secondary.onHello(hello);
        ClusterProof proof = primary.onChallenge(challenge);
        secondary.onProof(proof);
        assertThat(primary.proven()).isTrue();
        assertThat(secondary.proven()).isTrue();
        assertThat(primary.peer()).isEqualTo("s1");
        assertThat(secondary.peer()).isEqualTo("p1");
    }

    @Test
    void proofsFollowTheDocumentedFormula() throws Exception {
        ClusterHandshake.PrimarySide primary = new ClusterHandshake.PrimarySide(SECRET, "p1", random, CERT);
        ClusterHandshake.SecondarySide secondary = new ClusterHandshake.SecondarySide(SECRET, "s1", random, CERT);
        ClusterHello hello = primary.hello();
        ClusterChallenge challenge = secondary.onHello(hello);
        byte[] np = hello.nonce().toByteArray();
        byte[] ns = challenge.nonce().toByteArray();
        assertThat(challenge.proof().toByteArray()).isEqualTo(ClusterSecret.hmacWithKey(
                "s".repeat(40).getBytes(StandardCharsets.US_ASCII),
                "mpft-cluster-secondary".getBytes(StandardCharsets.US_ASCII), np, ns, CERT.toByteArray()));
        assertThat(primary.onChallenge(challenge).proof().toByteArray()).isEqualTo(ClusterSecret.hmacWithKey(
                "s".repeat(40).getBytes(StandardCharsets.US_ASCII),
                "mpft-cluster-primary".getBytes(StandardCharsets.US_ASCII), ns, np, CERT.toByteArray()));
    }

    @Test
    void primaryRefusesSecondaryWithoutTheSecret() {
        ClusterHandshake.PrimarySide primary = new ClusterHandshake.PrimarySide(SECRET, "p1", random, CERT);
        ClusterHandshake.SecondarySide impostor = new ClusterHandshake.SecondarySide(OTHER, "s1", random, CERT);
        assertThatThrownBy(() -> primary.onChallenge(impostor.onHello(primary.hello())))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_AUTH_FAILED))
                .hasMessageContaining("s1");
        assertThat(primary.proven()).isFalse();
    }

    @Test
    void secondaryRefusesPrimaryWithoutTheSecret() throws Exception {
        ClusterHandshake.PrimarySide impostor = new ClusterHandshake.PrimarySide(OTHER, "evil", random, CERT);
        ClusterHandshake.SecondarySide secondary = new ClusterHandshake.SecondarySide(SECRET, "s1", random, CERT);
        ClusterChallenge challenge = secondary.onHello(impostor.hello());
        // the impostor cannot verify the challenge, and a proof made with its own secret fails
        assertThatThrownBy(() -> impostor.onChallenge(challenge)).isInstanceOf(MpftException.class);
        byte[] guess = ClusterHandshake.primaryProof(OTHER, challenge.nonce().toByteArray(),
                impostor.hello().nonce().toByteArray(), CERT.toByteArray());
        assertThatThrownBy(() -> secondary.onProof(new ClusterProof(Bytes.of(guess))))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_AUTH_FAILED))
                .hasMessageContaining("evil");
        assertThat(secondary.proven()).isFalse();
    }

    @Test
    void replayedOrReflectedProofsAreRefused() throws Exception {
        // a proof recorded on one link is useless on the next: the secondary's nonce is fresh
        ClusterHandshake.PrimarySide primary = new ClusterHandshake.PrimarySide(SECRET, "p1", random, CERT);
        ClusterHandshake.SecondarySide first = new ClusterHandshake.SecondarySide(SECRET, "s1", random, CERT);
        ClusterHello hello = primary.hello();
        ClusterProof recorded = primary.onChallenge(first.onHello(hello));
        ClusterHandshake.SecondarySide second = new ClusterHandshake.SecondarySide(SECRET, "s1", random, CERT);
        second.onHello(hello);
        assertThatThrownBy(() -> second.onProof(recorded)).isInstanceOf(MpftException.class);
        // the secondary's own proof sent back as the primary's fails too (different label)
        ClusterHandshake.SecondarySide third = new ClusterHandshake.SecondarySide(SECRET, "s1", random, CERT);
        ClusterChallenge challenge = third.onHello(hello);
        assertThatThrownBy(() -> third.onProof(new ClusterProof(challenge.proof()))).isInstanceOf(MpftException.class);
    }

    @Test
    void proofsRelayedOntoAConnectionWithAnotherCertificateAreRefused() throws Exception {
        // a man in the middle terminates TLS towards the primary with its own certificate (the primary sees
        // MITM_CERT) and relays every frame to the real secondary (which presents CERT)
        ClusterHandshake.PrimarySide primary = new ClusterHandshake.PrimarySide(SECRET, "p1", random, MITM_CERT);
        ClusterHandshake.SecondarySide secondary = new ClusterHandshake.SecondarySide(SECRET, "s1", random, CERT);
        ClusterChallenge relayed = secondary.onHello(primary.hello());
        assertThatThrownBy(() -> primary.onChallenge(relayed))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_AUTH_FAILED))
                .hasMessageContaining("for this connection");
        assertThat(primary.proven()).isFalse();
        // the other way: a primary proof computed for another certificate pair (over the right nonces and
        // the right secret) is refused by the secondary
        byte[] forOtherCertificate = ClusterHandshake.primaryProof(SECRET, relayed.nonce().toByteArray(),
                primary.hello().nonce().toByteArray(), MITM_CERT.toByteArray());
        assertThatThrownBy(() -> secondary.onProof(new ClusterProof(Bytes.of(forOtherCertificate))))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CLUSTER_AUTH_FAILED));
        assertThat(secondary.proven()).isFalse();
    }

    @Test
    void theSameNoncesUnderTheSameCertificateProveAndUnderAnotherDoNot() {
        byte[] np = new byte[32];
        byte[] ns = new byte[32];
        random.nextBytes(np);
        random.nextBytes(ns);
        assertThat(ClusterHandshake.secondaryProof(SECRET, np, ns, CERT.toByteArray()))
                .isEqualTo(ClusterHandshake.secondaryProof(SECRET, np, ns, CERT.toByteArray()))
                .isNotEqualTo(ClusterHandshake.secondaryProof(SECRET, np, ns, MITM_CERT.toByteArray()));
        assertThatThrownBy(() -> ClusterHandshake.primaryProof(SECRET, ns, np, new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outOfOrderAndMalformedFramesAreRefused() throws Exception {
        ClusterHandshake.SecondarySide secondary = new ClusterHandshake.SecondarySide(SECRET, "s1", random, CERT);
        assertThatThrownBy(() -> secondary.onProof(new ClusterProof(Bytes.of(new byte[32]))))
                .hasMessageContaining("before");
        assertThatThrownBy(() -> secondary.onHello(new ClusterHello("p", Bytes.of(new byte[8]))))
                .hasMessageContaining("8 bytes");
        ClusterHandshake.PrimarySide primary = new ClusterHandshake.PrimarySide(SECRET, "p1", random, CERT);
        ClusterHello hello = primary.hello();
        secondary.onHello(hello);
        assertThatThrownBy(() -> secondary.onHello(hello)).hasMessageContaining("second");
        assertThatThrownBy(() -> primary.onChallenge(new ClusterChallenge("s", Bytes.of(new byte[4]),
                Bytes.of(new byte[32])))).hasMessageContaining("4 bytes");
    }
}
