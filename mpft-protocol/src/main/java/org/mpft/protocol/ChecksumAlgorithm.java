package org.mpft.protocol;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/**
 * How a chunk's bytes are checked, with its wire value. SHA-256 is the default: the JDK computes it
 * with the CPU's SHA extensions where present, and it also detects a secondary's stale copy, where a
 * CRC only detects transmission errors.
 */
public enum ChecksumAlgorithm {
    /** SHA-256, 32 bytes. */
    SHA256(1, 32),
    /** CRC-32C (Castagnoli), 4 bytes, big-endian. */
    CRC32C(2, 4);

    private final int wireValue;
    private final int length;

    ChecksumAlgorithm(int wireValue, int length) {
        this.wireValue = wireValue;
        this.length = length;
    }

    /** The value on the wire (u8). */
    public int wireValue() {
        return wireValue;
    }

    /** The checksum's length in bytes. */
    public int length() {
        return length;
    }

    /**
     * Computes the checksum of the bytes between {@code data}'s position and limit, without moving its
     * position.
     */
    public byte[] compute(ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        switch (this) {
            case SHA256: {
                MessageDigest digest = sha256();
                digest.update(view);
                return digest.digest();
            }
            case CRC32C: {
                CRC32C crc = new CRC32C();
                crc.update(view);
                return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
            }
            default:
                throw new AssertionError(this);
        }
    }

    /** True when the checksum of {@code data} (position to limit) equals {@code expected}. */
    public boolean verify(ByteBuffer data, byte[] expected) {
        return expected != null && expected.length == length
                && MessageDigest.isEqual(compute(data), expected);
    }

    /**
     * The algorithm for a wire value.
     *
     * @throws ProtocolException when no algorithm has that value
     */
    public static ChecksumAlgorithm fromWire(int value) throws ProtocolException {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.wireValue == value) {
                return algorithm;
            }
        }
        throw new ProtocolException("unknown checksum algorithm " + value);
    }

    /** A new SHA-256 digest (every JDK has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
