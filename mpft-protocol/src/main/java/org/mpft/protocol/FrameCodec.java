package org.mpft.protocol;

import java.nio.ByteBuffer;

/**
 * Encodes and decodes frames: {@code u32 length | u8 type | body}, big-endian, where {@code length}
 * counts the type byte and the body. A frame longer than {@link #MAX_FRAME_LENGTH} is refused on both
 * sides, so a decoder never allocates more than that.
 */
public final class FrameCodec {

    /** The protocol version this code speaks. */
    public static final int PROTOCOL_VERSION = 1;

    /** The longest frame (type + body), bytes: 1 MiB. */
    public static final int MAX_FRAME_LENGTH = 1 << 20;

    /** Bytes before the type: the u32 length. */
    public static final int LENGTH_FIELD_BYTES = 4;

    private FrameCodec() {
    }

    /**
     * Encodes a frame with its length prefix.
     *
     * @return a heap buffer positioned at 0, limit at the frame's end
     * @throws IllegalArgumentException when the frame would exceed {@link #MAX_FRAME_LENGTH}, or a field
     *                                  holds a value the decoder refuses (a string over 8192 UTF-8 bytes, a
     *                                  byte string over its field's limit, a negative index, size or length)
     */
    public static ByteBuffer encode(Frame frame) {
        WireWriter body = new WireWriter();
        frame.encodeBody(body);
        int length = 1 + body.size();
        if (length > MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException(frame.type() + " frame of " + length + " bytes exceeds "
                    + MAX_FRAME_LENGTH);
        }
        ByteBuffer out = ByteBuffer.allocate(LENGTH_FIELD_BYTES + length);
        out.putInt(length).put((byte) frame.type().wireValue());
        body.writeTo(out);
        return out.flip();
    }

    /**
     * Decodes one frame from the front of {@code in} if it holds a complete one, moving its position past
     * it; leaves {@code in} untouched and returns null when more bytes are needed.
     *
     * @param in   bytes received so far
     * @param link the link the bytes arrived on; a frame of another link is refused
     * @throws ProtocolException when the bytes are not a valid frame for that link
     */
    public static Frame decodeNext(ByteBuffer in, FrameType.Link link) throws ProtocolException {
        if (in.remaining() < LENGTH_FIELD_BYTES) {
            return null;
        }
        // big-endian whatever the caller's buffer order (a slice is always big-endian)
        int length = in.slice().getInt(0);
        checkLength(length);
        if (in.remaining() < LENGTH_FIELD_BYTES + length) {
            return null;
        }
        ByteBuffer frame = in.slice();
        frame.position(LENGTH_FIELD_BYTES).limit(LENGTH_FIELD_BYTES + length);
        in.position(in.position() + LENGTH_FIELD_BYTES + length);
        return decodeFrame(frame.slice(), link);
    }

    /**
     * Decodes a frame whose length prefix was already removed: {@code u8 type | body}, exactly.
     *
     * @param frame the type byte and the body, position to limit
     * @param link  the link the frame arrived on; a frame of another link is refused
     * @throws ProtocolException when the bytes are not a valid frame for that link
     */
    public static Frame decodeFrame(ByteBuffer frame, FrameType.Link link) throws ProtocolException {
        if (!frame.hasRemaining()) {
            throw new ProtocolException("empty frame");
        }
        checkLength(frame.remaining());
        FrameType type = FrameType.fromWire(frame.get() & 0xFF);
        if (!type.link().allows(link)) {
            throw new ProtocolException(type + " frame is not allowed on the " + link + " link");
        }
        WireReader reader = new WireReader(frame, type.name());
        Frame decoded = type.decoder().decode(reader);
        reader.end();
        return decoded;
    }

    /**
     * Checks a frame length read from a length prefix.
     *
     * @throws ProtocolException when it is zero, negative or over {@link #MAX_FRAME_LENGTH}
     */
    public static void checkLength(int length) throws ProtocolException {
        if (length < 1 || length > MAX_FRAME_LENGTH) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length) + " outside [1, "
                    + MAX_FRAME_LENGTH + "]");
        }
    }
}
