package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of the chunk header parser (the first bytes of every server-opened chunk stream):
 * random, truncated, oversized and mutated input gives a header, "need more bytes" (null, nothing
 * consumed) or a {@link ProtocolException}, nothing else, and allocates no more than a small multiple of
 * the bytes it was given. A payload length is bounded by the header before anyone buffers it. Each property
 * runs over seeded cases ({@link Seeded}): a failure prints the seed that replays it.
 */
class ChunkHeaderPropertyTest {

    @Test
    void validHeadersRoundTrip() {
        Seeded.check(2000, sample -> {
            ChunkHeader header = FrameGenerators.chunkHeader(sample);
            byte[] payload = sample.byteArray(0, 16);
            ByteBuffer encoded = header.encode();
            int headerBytes = encoded.remaining();
            assertThat(headerBytes).isLessThanOrEqualTo(ChunkHeader.MAX_ENCODED_LENGTH);
            // followed by payload bytes: the parser stops at the header's end
            ByteBuffer stream = ByteBuffer.allocate(headerBytes + payload.length).put(encoded).put(payload).flip();
            ChunkHeader decoded = ChunkHeader.decodeNext(stream);
            assertThat(decoded).isEqualTo(header);
            assertThat(stream.position()).isEqualTo(headerBytes);
            assertThat(decoded.encodedLength()).isLessThanOrEqualTo(ChunkHeader.MAX_PAYLOAD_LENGTH);
            assertThat(decoded.length()).isLessThanOrEqualTo(ChunkPlan.MAX_CHUNK_SIZE);
        });
    }

    @Test
    void aCutHeaderWaitsForMore() {
        Seeded.check(2000, sample -> {
            byte[] encoded = bytes(FrameGenerators.chunkHeader(sample).encode());
            int cut = (int) (sample.fraction() * encoded.length); // [0, length)
            ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(encoded, cut));
            assertThat(parse(in)).isNull();
            assertThat(in.position()).isZero();
        });
    }

    @Test
    void aHeaderLengthOutOfRangeIsRefusedFromItsTwoBytesAlone() {
        Seeded.check(2000, sample -> {
            // 0, or from one past the longest header to the u16's end
            int length = sample.ints(0, 3) == 0 ? 0 : sample.ints(ChunkHeader.MAX_ENCODED_LENGTH - 1, 0xFFFF);
            ByteBuffer prefix = ByteBuffer.allocate(2).putShort((short) length).flip();
            assertThatThrownBy(() -> ChunkHeader.decodeNext(prefix)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("out of range");
        });
    }

    @Test
    void randomBytesGiveAHeaderNullOrAProtocolException() {
        Seeded.check(2000, sample -> {
            byte[] bytes = sample.byteArray(0, 120);
            if (sample.booleans() && bytes.length >= 3) {
                // a header length that fits, version 1: the field parsers run
                ByteBuffer.wrap(bytes).putShort(0,
                        (short) Math.min(bytes.length - 2, ChunkHeader.MAX_ENCODED_LENGTH - 2));
                bytes[2] = ChunkHeader.VERSION;
            }
            long allocated = Allocation.of(() -> {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                ChunkHeader header = parse(in);
                if (header != null) {
                    assertThat(header.encode().remaining()).isEqualTo(in.position()); // canonical
                }
            });
            assertThat(allocated).isLessThan(8L * bytes.length + FramePropertyTest.ALLOCATION_SLACK);
        });
    }

    @Test
    void mutatedHeadersParseCanonicallyOrAreRefused() {
        Seeded.check(2000, sample -> {
            ChunkHeader header = FrameGenerators.chunkHeader(sample);
            byte[] mutated = FrameFuzzTest.mutate(bytes(header.encode()), new Random(sample.longs()));
            ByteBuffer in = ByteBuffer.wrap(mutated);
            ChunkHeader decoded = parse(in);
            if (decoded != null) {
                byte[] reencoded = bytes(decoded.encode());
                assertThat(Arrays.copyOf(mutated, in.position())).isEqualTo(reencoded);
                assertThat(decoded.encodedLength()).isBetween(0, ChunkHeader.MAX_PAYLOAD_LENGTH);
            }
        });
    }

    @Test
    void hostileLengthsInsideAHeaderAreRefused() {
        Seeded.check(2000, sample -> hostileLengthsAreRefused(FrameGenerators.chunkHeader(sample), sample.ints(),
                sample.ints(0, 3)));
    }

    private static void hostileLengthsAreRefused(ChunkHeader header, int hostile, int which) {
        byte[] bytes = bytes(header.encode());
        // offsets (after the u16 prefix) of chunk, length and encodedLength, and of the checksum algorithm byte
        int[] at = {2 + 1 + 8, 2 + 1 + 8 + 4 + 8, 2 + 1 + 8 + 4 + 8 + 4 + 1, 2 + 1 + 8 + 4 + 8 + 4 + 1 + 4};
        if (which == 3) {
            bytes[at[3]] = (byte) hostile;
        } else {
            ByteBuffer.wrap(bytes).putInt(at[which], hostile);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        ChunkHeader decoded = parse(in);
        if (decoded != null) {
            assertThat(decoded.chunk()).isNotNegative();
            assertThat(decoded.length()).isBetween(0, ChunkPlan.MAX_CHUNK_SIZE);
            assertThat(decoded.encodedLength()).isBetween(0, ChunkHeader.MAX_PAYLOAD_LENGTH);
            if (decoded.encoding() == Encoding.RAW) {
                assertThat(decoded.encodedLength()).isEqualTo(decoded.length());
            }
        }
    }

    private static ChunkHeader parse(ByteBuffer in) {
        try {
            return ChunkHeader.decodeNext(in);
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("ChunkHeader.decodeNext threw " + e, e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
