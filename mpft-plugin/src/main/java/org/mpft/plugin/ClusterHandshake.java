package org.mpft.plugin;

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
 * nonces under its own label, so that no proof can be replayed, reflected or relayed to another link:
 * <pre>
 * primary   -> secondary  CLUSTER_HELLO(node, nP)
 * secondary -> primary    CLUSTER_CHALLENGE(node, nS, HMAC(secret, "mpft-cluster-secondary" || nP || nS))
 * primary   -> secondary  CLUSTER_PROOF(HMAC(secret, "mpft-cluster-primary" || nS || nP))
 * secondary -> primary    CLUSTER_WELCOME(advertised address, certificate SHA-256)
 * </pre>
 * Proofs are compared in constant time. A side that fails a check answers
 * {@link ErrorCode#CLUSTER_AUTH_FAILED} and closes the link.
 */
final class ClusterHandshake {

    /** Every nonce is this long, bytes. */
    static final int NONCE_BYTES = 32;

    private static final byte[] SECONDARY_LABEL = "mpft-cluster-secondary".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PRIMARY_LABEL = "mpft-cluster-primary".getBytes(StandardCharsets.US_ASCII);

    private ClusterHandshake() {
    }

    /** The secondary's proof over both nonces. */
    static byte[] secondaryProof(ClusterSecret secret, byte[] primaryNonce, byte[] secondaryNonce) {
        return secret.hmac(SECONDARY_LABEL, primaryNonce, secondaryNonce);
    }

    /** The primary's proof over both nonces. */
    static byte[] primaryProof(ClusterSecret secret, byte[] secondaryNonce, byte[] primaryNonce) {
        return secret.hmac(PRIMARY_LABEL, secondaryNonce, primaryNonce);
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
        private final byte[] nonce;
        private String peer;
        private boolean proven;

        /**
         * @param secret the cluster secret
         * @param node   this primary's instance name
         * @param random the nonce source
         */
        PrimarySide(ClusterSecret secret, String node, SecureRandom random) {
            this.secret = Objects.requireNonNull(secret, "secret");
            this.node = Objects.requireNonNull(node, "node");
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
            byte[] expected = secondaryProof(secret, nonce, theirs);
            if (!ClusterSecret.macEquals(expected, challenge.proof().toByteArray())) {
                throw refused("secondary " + challenge.node() + " did not prove the cluster secret");
            }
            peer = challenge.node();
            proven = true;
            return new ClusterProof(Bytes.of(primaryProof(secret, theirs, nonce)));
        }

        /** True once the secondary proved the secret. */
        boolean proven() {
            return proven;
        }

        /** The secondary's name, once it proved the secret; null before. */
        String peer() {
            return peer;
        }
    }

    /** The secondary's side of one handshake. Not thread-safe; one per accepted link. */
    static final class SecondarySide {
        private final ClusterSecret secret;
        private final String node;
        private final byte[] nonce;
        private byte[] primaryNonce;
        private String peer;
        private boolean proven;

        /**
         * @param secret the cluster secret
         * @param node   this secondary's instance name
         * @param random the nonce source
         */
        SecondarySide(ClusterSecret secret, String node, SecureRandom random) {
            this.secret = Objects.requireNonNull(secret, "secret");
            this.node = Objects.requireNonNull(node, "node");
            this.nonce = nonce(random);
        }

        /**
         * Answers the primary's hello with this side's nonce and proof.
         *
         * @throws MpftException CLUSTER_AUTH_FAILED on a malformed or repeated hello
         */
        ClusterChallenge onHello(ClusterHello hello) throws MpftException {
            if (primaryNonce != null) {
                throw refused("a second CLUSTER_HELLO on the same link");
            }
            byte[] theirs = hello.nonce().toByteArray();
            if (theirs.length != NONCE_BYTES) {
                throw refused("primary " + hello.node() + " sent a nonce of " + theirs.length + " bytes");
            }
            primaryNonce = theirs;
            peer = hello.node();
            return new ClusterChallenge(node, Bytes.of(nonce), Bytes.of(secondaryProof(secret, theirs, nonce)));
        }

        /**
         * Checks the primary's proof.
         *
         * @throws MpftException CLUSTER_AUTH_FAILED when the primary does not hold the secret (or sent its
         *                       proof before its hello)
         */
        void onProof(ClusterProof proof) throws MpftException {
            if (primaryNonce == null) {
                throw refused("CLUSTER_PROOF before CLUSTER_HELLO");
            }
            if (proven) {
                throw refused("a second CLUSTER_PROOF on the same link");
            }
            byte[] expected = primaryProof(secret, nonce, primaryNonce);
            if (!ClusterSecret.macEquals(expected, proof.proof().toByteArray())) {
                throw refused("primary " + peer + " did not prove the cluster secret");
            }
            proven = true;
        }

        /** True once the primary proved the secret. */
        boolean proven() {
            return proven;
        }

        /** The name the primary gave in its hello; null before it. */
        String peer() {
            return peer;
        }
    }
}
