package org.mpft.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.ProtocolException;

/**
 * Turns a stream's bytes into protocol {@link Frame}s and frames into bytes ({@link FrameCodec}'s
 * layout). A length prefix outside {@code [1, }{@value FrameCodec#MAX_FRAME_LENGTH}{@code ]} is refused as
 * soon as its four bytes arrive, so at most one frame's worth of bytes is ever buffered. A malformed
 * frame reaches {@code exceptionCaught} as a {@link io.netty.handler.codec.DecoderException} whose cause
 * is the {@link ProtocolException} ({@link #protocolError} unwraps it). A stream may start with a lower
 * bound ({@link #FrameStreamCodec(FrameType.Link, int)}), raised later with {@link #allowFramesUpTo}: a server
 * takes only small frames before the client has logged in. Not sharable: one per stream.
 */
public final class FrameStreamCodec extends ByteToMessageCodec<Frame> {

    private final FrameType.Link link;
    private volatile int maxFrameLength;

    /** @param link the link this stream carries; frames of other links are refused */
    public FrameStreamCodec(FrameType.Link link) {
        this(link, FrameCodec.MAX_FRAME_LENGTH);
    }

    /**
     * @param link           the link this stream carries; frames of other links are refused
     * @param maxFrameLength the longest frame accepted until {@link #allowFramesUpTo} raises it, bytes
     */
    public FrameStreamCodec(FrameType.Link link, int maxFrameLength) {
        super(Frame.class);
        this.link = Objects.requireNonNull(link, "link");
        allowFramesUpTo(maxFrameLength);
    }

    /** Accepts frames up to {@code maxFrameLength} bytes (at most {@value FrameCodec#MAX_FRAME_LENGTH}) from now. */
    public void allowFramesUpTo(int maxFrameLength) {
        if (maxFrameLength < 1 || maxFrameLength > FrameCodec.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength outside [1, " + FrameCodec.MAX_FRAME_LENGTH + "]: "
                    + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        out.writeBytes(FrameCodec.encode(frame));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws ProtocolException {
        while (in.readableBytes() >= FrameCodec.LENGTH_FIELD_BYTES) {
            int length = in.getInt(in.readerIndex());
            FrameCodec.checkLength(length); // before waiting for (and buffering) the body
            if (length > maxFrameLength) {
                throw new ProtocolException("frame length " + length + " over " + maxFrameLength
                        + ", the most this stream accepts now");
            }
            int total = FrameCodec.LENGTH_FIELD_BYTES + length;
            if (in.readableBytes() < total) {
                return;
            }
            ByteBuffer frame = in.nioBuffer(in.readerIndex() + FrameCodec.LENGTH_FIELD_BYTES, length);
            in.skipBytes(total);
            out.add(FrameCodec.decodeFrame(frame, link));
        }
    }

    /** The {@link ProtocolException} behind an exception from this codec, or null when it is another failure. */
    public static ProtocolException protocolError(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ProtocolException protocol) {
                return protocol;
            }
        }
        return null;
    }
}
