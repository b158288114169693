package org.mpft.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the primitive types of the wire format, big-endian, into a growing buffer.
 * Strings and short byte strings carry a u16 length, long byte strings a u32 length.
 */
final class WireWriter {

    private byte[] bytes = new byte[64];
    private int size;

    WireWriter u8(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    WireWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + value);
        }
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    WireWriter i32(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    WireWriter i64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    WireWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    /** A non-negative i64; refuses what {@link WireReader#nonNegative} would refuse. */
    WireWriter nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " is negative: " + value);
        }
        return i64(value);
    }

    /** A non-negative i32; refuses what {@link WireReader#nonNegativeInt} would refuse. */
    WireWriter nonNegativeInt(int value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " is negative: " + value);
        }
        return i32(value);
    }

    /** An i32 in {@code [0, max]}; refuses what {@link WireReader#length} would refuse. */
    WireWriter length(int value, int max, String field) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " length " + value + " outside [0, " + max + "]");
        }
        return i32(value);
    }

    /**
     * A UTF-8 string with a u16 length, at most {@link WireReader#MAX_STRING_BYTES} bytes. A lone surrogate
     * is refused ({@code String.getBytes} would silently turn it into {@code ?}, so the receiver would see
     * another string than the one sent).
     */
    WireWriter string(String value) {
        byte[] utf8;
        try {
            java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(value));
            utf8 = new byte[encoded.remaining()];
            encoded.get(utf8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("string is not valid UTF-16 (a lone surrogate)");
        }
        if (utf8.length > WireReader.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string of " + utf8.length + " UTF-8 bytes exceeds "
                    + WireReader.MAX_STRING_BYTES);
        }
        return shortBytes(utf8);
    }

    WireWriter shortBytes(byte[] value) {
        u16(value.length);
        return raw(value);
    }

    /** Bytes with a u16 length, at most {@code max} of them (the limit the decoder applies to the field). */
    WireWriter shortBytes(byte[] value, int max, String field) {
        if (value.length > max) {
            throw new IllegalArgumentException(field + " is " + value.length + " bytes, over " + max);
        }
        return shortBytes(value);
    }

    /** Bytes with a u32 length, at most {@code max} of them (the limit the decoder applies to the field). */
    WireWriter longBytes(byte[] value, int max, String field) {
        length(value.length, max, field);
        return raw(value);
    }

    WireWriter raw(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
        return this;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void writeTo(ByteBuffer out) {
        out.put(bytes, 0, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
