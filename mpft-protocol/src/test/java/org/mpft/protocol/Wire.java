package org.mpft.protocol;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Test helpers: hex literals, and frames to and from bytes. */
final class Wire {

    private Wire() {
    }

    /** Bytes from hex parts (spaces and underscores ignored), so a golden encoding can be written field by field. */
    static byte[] hex(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts).replaceAll("[\\s_]", ""));
    }

    /** {@code n} copies of one byte, as hex. */
    static String repeat(String byteHex, int n) {
        return byteHex.repeat(n);
    }

    /** Lower-case hex of the bytes between position and limit (not moving them). */
    static String hexOf(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String hexOf(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The frame's full encoding (length prefix, type, body). */
    static byte[] encode(Frame frame) {
        ByteBuffer buffer = FrameCodec.encode(frame);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** The link a frame of this type is decoded on in tests (ERROR: the control link). */
    static FrameType.Link linkOf(FrameType type) {
        return type.link() == FrameType.Link.ANY ? FrameType.Link.CONTROL : type.link();
    }

    /** Decodes a full encoding (with length prefix) on the frame type's own link, requiring every byte used. */
    static Frame decode(byte[] encoded, FrameType.Link link) throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        Frame frame = FrameCodec.decodeNext(in, link);
        if (frame == null || in.hasRemaining()) {
            throw new AssertionError("expected exactly one frame in " + hexOf(encoded));
        }
        return frame;
    }

    /** Decodes {@code u8 type | body} (no length prefix). */
    static Frame decodeBody(byte[] typeAndBody, FrameType.Link link) throws ProtocolException {
        return FrameCodec.decodeFrame(ByteBuffer.wrap(typeAndBody), link);
    }

    /** The type byte and body of a full encoding (drops the u32 length). */
    static byte[] withoutLength(byte[] encoded) {
        byte[] out = new byte[encoded.length - FrameCodec.LENGTH_FIELD_BYTES];
        System.arraycopy(encoded, FrameCodec.LENGTH_FIELD_BYTES, out, 0, out.length);
        return out;
    }

    /** {@code u32 length | typeAndBody}, the length computed. */
    static byte[] withLength(byte[] typeAndBody) {
        return ByteBuffer.allocate(4 + typeAndBody.length).putInt(typeAndBody.length).put(typeAndBody).array();
    }
}
