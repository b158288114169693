package org.mpft.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitive types of the wire format from a buffer holding exactly one frame body. Every read
 * is bounds-checked: running past the end, a length over its limit or malformed UTF-8 throws
 * {@link ProtocolException}, never anything else, and nothing is allocated beyond the frame's own size.
 */
final class WireReader {

    /** The longest string field, in UTF-8 bytes (paths are limited further by {@link RemotePath}). */
    static final int MAX_STRING_BYTES = 8192;

    private final ByteBuffer in;
    private final String context;

    WireReader(ByteBuffer in, String context) {
        this.in = in;
        this.context = context;
    }

    int u8() throws ProtocolException {
        need(1, "u8");
        return in.get() & 0xFF;
    }

    int u16() throws ProtocolException {
        return u16("u16");
    }

    private int u16(String what) throws ProtocolException {
        need(2, what);
        return in.getShort() & 0xFFFF;
    }

    int i32() throws ProtocolException {
        need(4, "i32");
        return in.getInt();
    }

    /** A u32 that must lie in {@code [0, max]}. */
    int length(int max, String field) throws ProtocolException {
        need(4, field + " length");
        int value = in.getInt();
        if (value < 0 || value > max) {
            throw new ProtocolException(context + ": " + field + " length " + Integer.toUnsignedString(value)
                    + " exceeds " + max);
        }
        return value;
    }

    long i64() throws ProtocolException {
        need(8, "i64");
        return in.getLong();
    }

    /** A non-negative i64. */
    long nonNegative(String field) throws ProtocolException {
        long value = i64();
        if (value < 0) {
            throw new ProtocolException(context + ": " + field + " is negative: " + value);
        }
        return value;
    }

    /** A non-negative i32. */
    int nonNegativeInt(String field) throws ProtocolException {
        int value = i32();
        if (value < 0) {
            throw new ProtocolException(context + ": " + field + " is negative: " + value);
        }
        return value;
    }

    boolean bool() throws ProtocolException {
        int value = u8();
        if (value > 1) {
            throw new ProtocolException(context + ": boolean must be 0 or 1, was " + value);
        }
        return value == 1;
    }

    String string(String field) throws ProtocolException {
        int length = u16(field + " length");
        if (length > MAX_STRING_BYTES) {
            throw new ProtocolException(context + ": " + field + " is " + length + " bytes, over "
                    + MAX_STRING_BYTES);
        }
        need(length, field);
        ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(context + ": " + field + " is not valid UTF-8");
        }
    }

    byte[] shortBytes(int max, String field) throws ProtocolException {
        int length = u16(field + " length");
        if (length > max) {
            throw new ProtocolException(context + ": " + field + " is " + length + " bytes, over " + max);
        }
        return raw(length, field);
    }

    byte[] longBytes(int max, String field) throws ProtocolException {
        return raw(length(max, field), field);
    }

    byte[] raw(int length, String field) throws ProtocolException {
        need(length, field);
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }

    /** Fails when bytes are left over after the last field. */
    void end() throws ProtocolException {
        if (in.hasRemaining()) {
            throw new ProtocolException(context + ": " + in.remaining() + " unexpected trailing bytes");
        }
    }

    private void need(int bytes, String what) throws ProtocolException {
        if (in.remaining() < bytes) {
            throw new ProtocolException(context + ": truncated reading " + what + " (need " + bytes
                    + " bytes, have " + in.remaining() + ")");
        }
    }
}
