package org.mpft.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A key held by an {@link SshAgent}: the public key is known here, every signature is made by the agent.
 * Signatures come back in the form the host verifies: {@code Ed25519} as is, RSA as {@code rsa-sha2-256}
 * (= {@code SHA256withRSA}), ECDSA nistp256 re-encoded from SSH's {@code (mpint r, mpint s)} to DER
 * ({@code SHA256withECDSA}).
 */
public final class AgentIdentity implements ClientIdentity {

    /** Asks the agent for an {@code rsa-sha2-256} signature (draft-miller-ssh-agent, SSH_AGENT_RSA_SHA2_256). */
    private static final int RSA_SHA2_256 = 2;

    private final SshAgent agent;
    private final byte[] blob;
    private final String sshType;
    private final String keyAlgorithm;
    private final PublicKey publicKey;
    private final String comment;

    private AgentIdentity(SshAgent agent, byte[] blob, String sshType, String keyAlgorithm, PublicKey publicKey,
                          String comment) {
        this.agent = agent;
        this.blob = blob;
        this.sshType = sshType;
        this.keyAlgorithm = keyAlgorithm;
        this.publicKey = publicKey;
        this.comment = comment;
    }

    /** The identity for an agent's key, or null for a kind of key mpft cannot log in with. */
    static AgentIdentity of(SshAgent agent, byte[] blob, String comment) {
        String type;
        try {
            type = new String(SshWire.bytes(ByteBuffer.wrap(blob)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        String algorithm = switch (type) {
            case "ssh-ed25519" -> "Ed25519";
            case "ssh-rsa" -> "RSA";
            case "ecdsa-sha2-nistp256" -> "EC";
            default -> null; // certificates, FIDO (sk-*), DSA, nistp384/521 (hashed with SHA-384/512)
        };
        if (algorithm == null) {
            return null;
        }
        try {
            PublicKey key = new ByteArrayBuffer(blob).getRawPublicKey();
            return new AgentIdentity(agent, blob.clone(), type, algorithm, key, comment);
        } catch (IOException | RuntimeException e) {
            return null; // a key sshd-common cannot decode: not one to log in with
        }
    }

    @Override
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    @Override
    public byte[] publicKeyX509() {
        return publicKey.getEncoded();
    }

    /** The SSH key type ({@code ssh-ed25519}, {@code ssh-rsa}, {@code ecdsa-sha2-nistp256}). */
    public String sshType() {
        return sshType;
    }

    /** The comment the agent holds for the key (often the file it was added from). */
    public String comment() {
        return comment;
    }

    /**
     * Has the agent sign {@code data}.
     *
     * @throws UncheckedIOException when the agent is gone, no longer holds the key or refuses
     */
    @Override
    public byte[] sign(byte[] data) {
        try {
            ByteBuffer signature = ByteBuffer.wrap(agent.sign(blob, data, keyAlgorithm.equals("RSA") ? RSA_SHA2_256 : 0));
            String format = new String(SshWire.bytes(signature), StandardCharsets.UTF_8);
            byte[] raw = SshWire.bytes(signature);
            String expected = switch (keyAlgorithm) {
                case "RSA" -> "rsa-sha2-256";
                default -> sshType;
            };
            if (!format.equals(expected)) {
                throw new IOException("the ssh-agent signed as " + format + ", not " + expected);
            }
            return keyAlgorithm.equals("EC") ? der(raw) : raw;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sign with the agent's key " + comment + ": " + e.getMessage(), e);
        }
    }

    /** SSH's ECDSA signature ({@code mpint r, mpint s}) as the JDK's DER {@code SEQUENCE {INTEGER r, INTEGER s}}. */
    static byte[] der(byte[] ssh) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(ssh);
        byte[] r = new BigInteger(SshWire.bytes(in)).toByteArray();
        byte[] s = new BigInteger(SshWire.bytes(in)).toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        integer(body, r);
        integer(body, s);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        length(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void integer(ByteArrayOutputStream out, byte[] value) {
        out.write(0x02);
        length(out, value.length);
        out.writeBytes(value);
    }

    private static void length(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        }
    }

    @Override
    public String toString() {
        return "AgentIdentity[" + sshType + ", " + comment + "]";
    }
}
