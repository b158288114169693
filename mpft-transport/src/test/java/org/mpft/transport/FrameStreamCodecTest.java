package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Cancel;
import org.mpft.protocol.EndTransfer;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;

class FrameStreamCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameStreamCodec(FrameType.Link.CONTROL));

    @Test
    void encodesFramesWithTheCodecLayout() {
        assertThat(channel.writeOutbound(new Ack(5, 3))).isTrue();
        ByteBuf out = channel.readOutbound();
        ByteBuffer expected = FrameCodec.encode(new Ack(5, 3));
        assertThat(ByteBufUtilBytes.of(out)).isEqualTo(ByteBufUtilBytes.of(Unpooled.wrappedBuffer(expected)));
        out.release();
    }

    @Test
    void decodesFramesSplitAnywhereAndSeveralPerRead() {
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(FrameCodec.encode(new Hello(1, 0, "test/1")));
        all.writeBytes(FrameCodec.encode(new Ack(9, 1)));
        all.writeBytes(FrameCodec.encode(new Cancel(9)));
        // one byte at a time, then the rest at once
        for (int i = 0; i < 7; i++) {
            channel.writeInbound(all.readRetainedSlice(1));
        }
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(all.readRetainedSlice(all.readableBytes()));
        all.release();
        assertThat((Frame) channel.readInbound()).isEqualTo(new Hello(1, 0, "test/1"));
        assertThat((Frame) channel.readInbound()).isEqualTo(new Ack(9, 1));
        assertThat((Frame) channel.readInbound()).isEqualTo(new Cancel(9));
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void aLowerBoundRefusesLongerFramesFromTheirPrefixUntilRaised() {
        EmbeddedChannel bounded = new EmbeddedChannel(new FrameStreamCodec(FrameType.Link.CONTROL, 16));
        assertThatThrownBy(() -> bounded.writeInbound(Unpooled.buffer().writeInt(17)))
                .isInstanceOf(DecoderException.class)
                .satisfies(e -> assertThat(FrameStreamCodec.protocolError(e)).isNotNull()
                        .hasMessageContaining("frame length 17 over 16"));

        FrameStreamCodec raised = new FrameStreamCodec(FrameType.Link.CONTROL, 16);
        EmbeddedChannel later = new EmbeddedChannel(raised);
        raised.allowFramesUpTo(FrameCodec.MAX_FRAME_LENGTH);
        later.writeInbound(Unpooled.wrappedBuffer(FrameCodec.encode(new Hello(1, 0, "a longer agent string/1"))));
        assertThat((Frame) later.readInbound()).isEqualTo(new Hello(1, 0, "a longer agent string/1"));
    }

    @Test
    void refusesAnOversizedLengthBeforeBufferingTheBody() {
        ByteBuf prefix = Unpooled.buffer().writeInt(FrameCodec.MAX_FRAME_LENGTH + 1);
        assertThatThrownBy(() -> channel.writeInbound(prefix))
                .isInstanceOf(DecoderException.class)
                .satisfies(e -> assertThat(FrameStreamCodec.protocolError(e)).isNotNull()
                        .hasMessageContaining("frame length"));
    }

    @Test
    void refusesAFrameOfAnotherLink() {
        ByteBuf cluster = Unpooled.wrappedBuffer(FrameCodec.encode(new EndTransfer(1)));
        assertThatThrownBy(() -> channel.writeInbound(cluster))
                .isInstanceOf(DecoderException.class)
                .satisfies(e -> assertThat(FrameStreamCodec.protocolError(e)).isNotNull()
                        .hasMessageContaining("not allowed"));
    }

    @Test
    void refusesAnUnknownFrameType() {
        ByteBuf unknown = Unpooled.buffer().writeInt(1).writeByte(0x7F);
        assertThatThrownBy(() -> channel.writeInbound(unknown))
                .satisfies(e -> assertThat(FrameStreamCodec.protocolError(e)).isNotNull()
                        .hasMessageContaining("unknown frame type"));
    }

    @Test
    void protocolErrorIsNullForOtherFailures() {
        assertThat(FrameStreamCodec.protocolError(new RuntimeException("x"))).isNull();
    }

    /** Bytes of a buffer, for comparisons. */
    private static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf buf) {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            return bytes;
        }
    }
}
