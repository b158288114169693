package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkCodec;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.MpftException;

class ChunkDecoderTest {

    private static final byte[] TEXT = "mpft chunk text, compressible, repeated. ".repeat(3000)
            .getBytes(StandardCharsets.US_ASCII);

    private static ChunkHeader header(Encoding encoding, int encodedLength) {
        return new ChunkHeader(9, 0, 0, TEXT.length, encoding, encodedLength, ChecksumAlgorithm.SHA256,
                Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(TEXT))));
    }

    private static ByteBuf compressed() {
        try (ChunkCodec codec = new ChunkCodec()) {
            ByteBuffer out = ByteBuffer.allocateDirect(codec.maxCompressedLength(TEXT.length));
            int n = codec.compress(ByteBuffer.wrap(TEXT), out);
            assertThat(n).isPositive();
            return Unpooled.copiedBuffer(out.flip());
        }
    }

    @Test
    void aCompressedChunkDecodesAndVerifies() throws MpftException {
        ByteBuf payload = compressed();
        ChunkHeader header = header(Encoding.ZSTD, payload.readableBytes());
        ChunkVerifier verifier = new ChunkVerifier(9, new ChunkPlan(TEXT.length, 1 << 20), ChecksumAlgorithm.SHA256,
                "t.txt", true);
        verifier.checkHeader(header, "srv");
        try (ChunkDecoder decoder = new ChunkDecoder(PooledByteBufAllocator.DEFAULT)) {
            DownloadEvent.ChunkArrived decoded = decoder.decode(arrived(header, payload));
            assertThat(payload.refCnt()).as("encoded buffer released").isZero();
            assertThat(verifier.verify(header, decoded.payload().nioBuffer())).isTrue();
            decoded.payload().release();
        }
    }

    @Test
    void aPayloadThatDoesNotDecodeFailsVerification() {
        ByteBuf garbage = Unpooled.copiedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ChunkHeader header = header(Encoding.ZSTD, 8);
        ChunkVerifier verifier = new ChunkVerifier(9, new ChunkPlan(TEXT.length, 1 << 20), ChecksumAlgorithm.SHA256,
                "t.txt", true);
        try (ChunkDecoder decoder = new ChunkDecoder(PooledByteBufAllocator.DEFAULT)) {
            DownloadEvent.ChunkArrived decoded = decoder.decode(arrived(header, garbage));
            assertThat(verifier.verify(header, decoded.payload().nioBuffer())).isFalse();
            decoded.payload().release();
        }
    }

    @Test
    void rawPassesThroughUntouched() {
        ByteBuf raw = Unpooled.wrappedBuffer(TEXT);
        DownloadEvent.ChunkArrived arrived = arrived(header(Encoding.RAW, TEXT.length), raw);
        try (ChunkDecoder decoder = new ChunkDecoder(PooledByteBufAllocator.DEFAULT)) {
            assertThat(decoder.decode(arrived)).isSameAs(arrived);
        }
        raw.release();
    }

    @Test
    void compressedHeadersNeedNegotiationAndMustBeShorter() {
        ChunkPlan plan = new ChunkPlan(TEXT.length, 1 << 20);
        ChunkVerifier plain = new ChunkVerifier(9, plan, ChecksumAlgorithm.SHA256, "t.txt", false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.checkHeader(header(Encoding.ZSTD, 100), "srv"))
                .isInstanceOf(MpftException.class).hasMessageContaining("not negotiated");
        ChunkVerifier negotiated = new ChunkVerifier(9, plan, ChecksumAlgorithm.SHA256, "t.txt", true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> negotiated.checkHeader(
                header(Encoding.DEFLATE, TEXT.length), "srv"))
                .isInstanceOf(MpftException.class).hasMessageContaining("not shorter");
    }

    private static DownloadEvent.ChunkArrived arrived(ChunkHeader header, ByteBuf payload) {
        return new DownloadEvent.ChunkArrived("srv", header, payload, System.nanoTime(),
                new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES));
    }
}
