package org.mpft.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string (a challenge, a key, a signature, a ticket, a checksum) with value
 * equality, so that frames holding bytes compare by content.
 */
public final class Bytes {

    /** The empty byte string. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] value;

    private Bytes(byte[] value) {
        this.value = value;
    }

    /** A byte string holding a copy of {@code value}. */
    public static Bytes of(byte[] value) {
        return new Bytes(Objects.requireNonNull(value, "value").clone());
    }

    /** A byte string from hexadecimal digits. */
    public static Bytes fromHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    /** Takes ownership of an array nobody else holds (no copy). */
    static Bytes wrap(byte[] value) {
        return new Bytes(value);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return value.clone();
    }

    /** The number of bytes. */
    public int length() {
        return value.length;
    }

    /** True when there are no bytes. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /** The bytes as lower-case hexadecimal. */
    public String hex() {
        return HexFormat.of().formatHex(value);
    }

    /** The backing array, for encoding only: never modified, never handed out. */
    byte[] internal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes bytes && Arrays.equals(value, bytes.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return value.length <= 32 ? hex() : hex().substring(0, 64) + "...(" + value.length + " bytes)";
    }
}
