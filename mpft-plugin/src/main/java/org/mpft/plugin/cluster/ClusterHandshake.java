package org.mpft.plugin.cluster;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ClusterChallenge;
import org.mpft.protocol.ClusterHello;
import org.mpft.protocol.ClusterProof;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The mutual proof of the cluster secret at the start of a primary-secondary link, as pure logic (no
 * I/O). Both sides pick a fresh 32-byte nonce; each proves it holds the secret with an HMAC over both
 * nonces and the link's TLS certificate under its own label:
 * <pre>
 * primary   -> secondary  CLUSTER_HELLO(node, nP)
 * secondary -> primary    CLUSTER_CHALLENGE(node, nS, HMAC(secret, "mpft-cluster-secondary" || nP || nS || C))
 * primary   -> secondary  CLUSTER_PROOF(HMAC(secret, "mpft-cluster-primary" || nS || nP || C))
 * secondary -> primary    CLUSTER_WELCOME(advertised address, certificate SHA-256)
 * </pre>
 * {@code C} is the SHA-256 of the certificate the secondary presents on this TLS connection: the primary
 * (the TLS client) takes it from the handshake it just completed, the secondary uses its own. Fresh nonces
 * stop replay, the labels stop reflection, and {@code C} binds both proofs to this TLS connection: a man in
 * the middle who terminates TLS towards the primary with its own certificate and relays the frames to the
 * real secondary makes the two sides compute over different certificates, so both proofs fail (it could
 * only succeed holding the secondary's private key). Netty QUIC has no TLS exporter to bind to (4.2), and
 * the primary presents no client certificate, so the server certificate is the connection's one shared,
 * authenticated value. Proofs are compared in constant time. A side that fails a check answers
 * {@link ErrorCode#CLUSTER_AUTH_FAILED} and closes the link.
 */
public final class ClusterHandshake {

    /** Every nonce is this long, bytes. */
    static final int NONCE_BYTES = 32;

    private static final byte[] SECONDARY_LABEL = "mpft-cluster-secondary".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PRIMARY_LABEL = "mpft-cluster-primary".getBytes(StandardCharsets.US_ASCII);

    private ClusterHandshake() {
    }

    /** Every certificate hash is this long, bytes (SHA-256). */
    static final int CERTIFICATE_HASH_BYTES = 32;

    /**
     * The secondary's proof over both nonces and the link's certificate.
     *
     * @param certificateSha256 the SHA-256 of the certificate the secondary presents on this TLS connection
     */
    static byte[] secondaryProof(ClusterSecret secret, byte[] primaryNonce, byte[] secondaryNonce,
            byte[] certificateSha256) {
        return secret.hmac(SECONDARY_LABEL, primaryNonce, secondaryNonce, certificate(certificateSha256));
    }

    /**
     * The primary's proof over both nonces and the link's certificate.
     *
     * @param certificateSha256 the SHA-256 of the certificate the secondary presents on this TLS connection
     */
    static byte[] primaryProof(ClusterSecret secret, byte[] secondaryNonce, byte[] primaryNonce,
            byte[] certificateSha256) {
        return secret.hmac(PRIMARY_LABEL, secondaryNonce, primaryNonce, certificate(certificateSha256));
    }

    private static byte[] certificate(byte[] sha256) {
        Objects.requireNonNull(sha256, "certificateSha256");
        if (sha256.length != CERTIFICATE_HASH_BYTES) {
            throw new IllegalArgumentException("a certificate SHA-256 has 32 bytes, not " + sha256.length);
        }
        return sha256;
    }

    private static byte[] nonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    private static MpftException refused(String message) {
        return new MpftException(ErrorCode.CLUSTER_AUTH_FAILED, message);
    }

    /** The primary's side of one handshake. Not thread-safe; one per link attempt. */
    static final class PrimarySide {
        private final ClusterSecret secret;
        private final String node;
        private final byte[] certificate;
        private final byte[] nonce;
        private String peer;
        private boolean proven;

        /**
         * @param secret      the cluster secret
         * @param node        this primary's instance name
         * @param random      the nonce source
         * @param certificate the SHA-256 of the certificate the secondary presented on this TLS connection
         */
        PrimarySide(ClusterSecret secret, String node, SecureRandom random, Bytes certificate) {
            this.secret = Objects.requireNonNull(secret, "secret");
            this.node = Objects.requireNonNull(node, "node");
            this.certificate = certificate(Objects.requireNonNull(certificate, "certificate").toByteArray());
            this.nonce = nonce(random);
        }

        /** The first frame to send. */
        ClusterHello hello() {
            return new ClusterHello(node, Bytes.of(nonce));
        }

        /**
         * Checks the secondary's proof and returns the primary's.
         *
         * @throws MpftException CLUSTER_AUTH_FAILED when the secondary does not hold the secret
         */
        ClusterProof onChallenge(ClusterChallenge challenge) throws MpftException {
            if (peer != null) {
                throw refused("a second CLUSTER_CHALLENGE on the same link");
            }
            byte[] theirs = challenge.nonce().toByteArray();
            if (theirs.length != NONCE_BYTES) {
                throw refused("secondary " + challenge.node() + " sent a nonce of " + theirs.length + " bytes");
            }
            byte[] expected = secondaryProof(secret, nonce, theirs, certificate);
            if (!ClusterSecret.macEquals(expected, challenge.proof().toByteArray())) {
                throw refused("secondary " + challenge.node() + " did not prove the cluster secret for this"
                        + " connection (another secret, or a proof relayed from a connection with another"
                        + " certificate)");
            }
            peer = challenge.node();
            proven = true;
            return new ClusterProof(Bytes.of(primaryProof(secret, theirs, nonce, certificate)));
        }

        /** True once the secondary proved the secret. */
        boolean proven() {
            return proven;
        }

        /** The secondary's name, once it proved the secret; null before. */
        public String peer() {
            return peer;
        }
    }

    /** The secondary's side of one handshake. Not thread-safe; one per accepted link. */
    public static final class SecondarySide {
        private final ClusterSecret secret;
        private final String node;
        private final byte[] certificate;
        private final byte[] nonce;
        private byte[] primaryNonce;
        private String peer;
        private boolean proven;

        /**
         * @param secret      the cluster secret
         * @param node        this secondary's instance name
         * @param random      the nonce source
         * @param certificate the SHA-256 of the certificate this secondary presents on the TLS connection
         */
        public SecondarySide(ClusterSecret secret, String node, SecureRandom random, Bytes certificate) {
            this.secret = Objects.requireNonNull(secret, "secret");
            this.node = Objects.requireNonNull(node, "node");
            this.certificate = certificate(Objects.requireNonNull(certificate, "certificate").toByteArray());
            this.nonce = nonce(random);
        }

        /**
         * Answers the primary's hello with this side's nonce and proof.
         *
         * @throws MpftException CLUSTER_AUTH_FAILED on a malformed or repeated hello
         */
        public ClusterChallenge onHello(ClusterHello hello) throws MpftException {
            if (primaryNonce != null) {
                throw refused("a second CLUSTER_HELLO on the same link");
            }
            byte[] theirs = hello.nonce().toByteArray();
            if (theirs.length != NONCE_BYTES) {
                throw refused("primary " + hello.node() + " sent a nonce of " + theirs.length + " bytes");
            }
            primaryNonce = theirs;
            peer = hello.node();
            return new ClusterChallenge(node, Bytes.of(nonce),
                    Bytes.of(secondaryProof(secret, theirs, nonce, certificate)));
        }

        /**
         * Checks the primary's proof.
         *
         * @throws MpftException CLUSTER_AUTH_FAILED when the primary does not hold the secret (or sent its
         *                       proof before its hello)
         */
        public void onProof(ClusterProof proof) throws MpftException {
            if (primaryNonce == null) {
                throw refused("CLUSTER_PROOF before CLUSTER_HELLO");
            }
            if (proven) {
                throw refused("a second CLUSTER_PROOF on the same link");
            }
            byte[] expected = primaryProof(secret, nonce, primaryNonce, certificate);
            if (!ClusterSecret.macEquals(expected, proof.proof().toByteArray())) {
                throw refused("primary " + peer + " did not prove the cluster secret for this connection"
                        + " (another secret, or a proof relayed from a connection with another certificate)");
            }
            proven = true;
        }

        /** True once the primary proved the secret. */
        boolean proven() {
            return proven;
        }

        /** The name the primary gave in its hello; null before it. */
        public String peer() {
            return peer;
        }
    }
}
