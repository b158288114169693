package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Property-based tests of the chunk header parser (the first bytes of every server-opened chunk stream):
 * random, truncated, oversized and mutated input gives a header, "need more bytes" (null, nothing
 * consumed) or a {@link ProtocolException}, nothing else, and allocates no more than a small multiple of
 * the bytes it was given. A payload length is bounded by the header before anyone buffers it.
 */
class ChunkHeaderPropertyTest {

    @Provide
    Arbitrary<ChunkHeader> headers() {
        return FrameArbitraries.chunkHeaders();
    }

    @Property(tries = 2000)
    void validHeadersRoundTrip(@ForAll("headers") ChunkHeader header, @ForAll @Size(max = 16) byte[] payload)
            throws ProtocolException {
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
    }

    @Property(tries = 2000)
    void aCutHeaderWaitsForMore(@ForAll("headers") ChunkHeader header, @ForAll double where) {
        byte[] encoded = bytes(header.encode());
        int cut = (int) (Math.abs(where) % 1.0 * encoded.length);
        ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(encoded, cut));
        assertThat(parse(in)).isNull();
        assertThat(in.position()).isZero();
    }

    @Property(tries = 2000)
    void aHeaderLengthOutOfRangeIsRefusedFromItsTwoBytesAlone(@ForAll @IntRange(min = 0, max = 0xFFFF) int length) {
        Assume.that(length < 1 || length > ChunkHeader.MAX_ENCODED_LENGTH - 2);
        ByteBuffer prefix = ByteBuffer.allocate(2).putShort((short) length).flip();
        assertThatThrownBy(() -> ChunkHeader.decodeNext(prefix)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("out of range");
    }

    @Property(tries = 2000)
    void randomBytesGiveAHeaderNullOrAProtocolException(@ForAll @Size(max = 120) byte[] bytes,
                                                         @ForAll boolean plausible) {
        if (plausible && bytes.length >= 3) {
            // a header length that fits, version 1: the field parsers run
            ByteBuffer.wrap(bytes).putShort(0, (short) Math.min(bytes.length - 2, ChunkHeader.MAX_ENCODED_LENGTH - 2));
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
    }

    @Property(tries = 2000)
    void mutatedHeadersParseCanonicallyOrAreRefused(@ForAll("headers") ChunkHeader header, @ForAll long seed) {
        byte[] mutated = FrameFuzzTest.mutate(bytes(header.encode()), new Random(seed));
        ByteBuffer in = ByteBuffer.wrap(mutated);
        ChunkHeader decoded = parse(in);
        if (decoded != null) {
            byte[] reencoded = bytes(decoded.encode());
            assertThat(Arrays.copyOf(mutated, in.position())).isEqualTo(reencoded);
            assertThat(decoded.encodedLength()).isBetween(0, ChunkHeader.MAX_PAYLOAD_LENGTH);
        }
    }

    @Property(tries = 2000)
    void hostileLengthsInsideAHeaderAreRefused(@ForAll("headers") ChunkHeader header, @ForAll int hostile,
                                               @ForAll @IntRange(min = 0, max = 3) int which) {
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
