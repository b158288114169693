package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mpft.protocol.Wire.hex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The header in front of every chunk stream: exact bytes, round trips and every refusal. */
class ChunkHeaderTest {

    static final ChunkHeader CRC = new ChunkHeader(7, 1, 4_194_304, 4_194_304, Encoding.RAW, 4_194_304,
            ChecksumAlgorithm.CRC32C, Bytes.fromHex("e3069283"));
    static final byte[] CRC_GOLDEN = hex(
            "0023", // 35 bytes follow
            "01", "0000000000000007", "00000001", "0000000000400000", "00400000", "00", "00400000", "02",
            "e3069283");

    static final ChunkHeader SHA = new ChunkHeader(-1, 1280, GoldenFrames.FIVE_GIB, 1, Encoding.DEFLATE, 11,
            ChecksumAlgorithm.SHA256, Bytes.fromHex(GoldenFrames.SHA256_ABC));
    static final byte[] SHA_GOLDEN = hex(
            "003f", // 63 bytes follow
            "01", "ffffffffffffffff", "00000500", "0000000140000000", "00000001", "01", "0000000b", "01",
            GoldenFrames.SHA256_ABC);

    static void assertRefused(ThrowingCallable call, String fragment) {
        assertThatThrownBy(call).isExactlyInstanceOf(ProtocolException.class).hasMessageContaining(fragment);
    }

    static ChunkHeader decode(byte[] bytes) throws ProtocolException {
        return ChunkHeader.decodeNext(ByteBuffer.wrap(bytes));
    }

    @Test
    void crc32cHeaderGoldenBytes() throws ProtocolException {
        assertThat(Wire.hexOf(CRC.encode())).isEqualTo(Wire.hexOf(CRC_GOLDEN));
        assertThat(decode(CRC_GOLDEN)).isEqualTo(CRC);
    }

    @Test
    void sha256DeflateHeaderGoldenBytes() throws ProtocolException {
        assertThat(Wire.hexOf(SHA.encode())).isEqualTo(Wire.hexOf(SHA_GOLDEN));
        assertThat(decode(SHA_GOLDEN)).isEqualTo(SHA);
        assertThat(SHA_GOLDEN).hasSize(ChunkHeader.MAX_ENCODED_LENGTH - 32);
    }

    static Stream<ChunkHeader> headers() {
        return Stream.of(CRC, SHA,
                new ChunkHeader(0, 0, 0, 0, Encoding.RAW, 0, ChecksumAlgorithm.CRC32C, Bytes.fromHex("00000000")),
                new ChunkHeader(Long.MIN_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, ChunkPlan.MAX_CHUNK_SIZE,
                        Encoding.RAW, ChunkPlan.MAX_CHUNK_SIZE, ChecksumAlgorithm.SHA256, Bytes.of(new byte[32])),
                new ChunkHeader(Long.MAX_VALUE, 3, 12_288, ChunkPlan.MAX_CHUNK_SIZE, Encoding.DEFLATE,
                        ChunkHeader.MAX_PAYLOAD_LENGTH, ChecksumAlgorithm.CRC32C, Bytes.fromHex("ffffffff")),
                new ChunkHeader(1, 2, 3, 4096, Encoding.DEFLATE, 0, ChecksumAlgorithm.SHA256, Bytes.of(new byte[32])));
    }

    @ParameterizedTest
    @MethodSource("headers")
    void roundTrips(ChunkHeader header) throws ProtocolException {
        ByteBuffer encoded = header.encode();
        int size = encoded.remaining();
        ByteBuffer stream = ByteBuffer.allocate(size + 10).put(encoded).put(new byte[10]).flip();

        assertThat(ChunkHeader.decodeNext(stream)).isEqualTo(header);
        assertThat(stream.position()).as("positioned at the payload").isEqualTo(size);
        assertThat(size).isLessThanOrEqualTo(ChunkHeader.MAX_ENCODED_LENGTH);
    }

    @Test
    void encodesBigEndianIntoALittleEndianBufferAndDecodesFromOne() throws ProtocolException {
        ByteBuffer little = ByteBuffer.allocate(ChunkHeader.MAX_ENCODED_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        CRC.encode(little);
        little.flip();

        assertThat(Wire.hexOf(little)).isEqualTo(Wire.hexOf(CRC_GOLDEN));
        assertThat(ChunkHeader.decodeNext(little)).isEqualTo(CRC);
    }

    @Test
    void waitsForEveryMissingByte() throws ProtocolException {
        for (int cut = 0; cut < SHA_GOLDEN.length; cut++) {
            ByteBuffer partial = ByteBuffer.wrap(Arrays.copyOf(SHA_GOLDEN, cut));

            assertThat(ChunkHeader.decodeNext(partial)).as("cut at %d", cut).isNull();
            assertThat(partial.position()).isZero();
        }
    }

    @Test
    void aHeaderCutShortWithAMatchingLengthIsRefused() {
        for (int cut = 1; cut < CRC_GOLDEN.length - 2; cut++) {
            byte[] bytes = Arrays.copyOf(CRC_GOLDEN, 2 + cut);
            ByteBuffer.wrap(bytes).putShort(0, (short) cut);

            assertRefused(() -> decode(bytes), "truncated");
        }
    }

    @Test
    void headerLengthOutOfRangeIsRefusedFromTwoBytes() {
        assertRefused(() -> decode(hex("0000")), "chunk header length 0 out of range");
        assertRefused(() -> decode(hex("0060")), "chunk header length 96 out of range");
        assertRefused(() -> decode(hex("ffff")), "chunk header length 65535 out of range");
    }

    @Test
    void trailingBytesInsideTheHeaderAreRefused() {
        byte[] bytes = Arrays.copyOf(CRC_GOLDEN, CRC_GOLDEN.length + 1);
        ByteBuffer.wrap(bytes).putShort(0, (short) (CRC_GOLDEN.length - 1));

        assertRefused(() -> decode(bytes), "1 unexpected trailing bytes");
    }

    static Stream<Arguments> badHeaders() {
        String rest = "00000001" + "0000000000400000";
        return Stream.of(
                Arguments.of("version 0", "0023" + "00", "chunk header version 0 unsupported (expected 1)"),
                Arguments.of("version 2", "0023" + "02", "chunk header version 2 unsupported"),
                Arguments.of("version 255", "0001" + "ff", "version 255"),
                Arguments.of("chunk -1", "0023" + "01" + "0000000000000007" + "ffffffff", "chunk is negative"),
                Arguments.of("offset -1", "0023" + "01" + "0000000000000007" + "00000001" + "ffffffffffffffff",
                        "offset is negative"),
                Arguments.of("length over 64 MiB", "0023" + "01" + "0000000000000007" + rest + "04000001",
                        "chunk length 67108865 exceeds 67108864"),
                Arguments.of("length negative", "0023" + "01" + "0000000000000007" + rest + "80000000",
                        "chunk length 2147483648 exceeds"),
                Arguments.of("encoding 3", "0023" + "01" + "0000000000000007" + rest + "00400000" + "03",
                        "unknown chunk encoding 3"),
                Arguments.of("payload over the limit", "0023" + "01" + "0000000000000007" + rest + "00400000"
                        + "01" + String.format("%08x", ChunkHeader.MAX_PAYLOAD_LENGTH + 1), "payload length"),
                Arguments.of("checksum algorithm 0", "0023" + "01" + "0000000000000007" + rest + "00400000" + "00"
                        + "00400000" + "00" + "e3069283", "unknown checksum algorithm 0"),
                Arguments.of("raw length mismatch", "0023" + "01" + "0000000000000007" + rest + "00400000" + "00"
                        + "003fffff" + "02" + "e3069283",
                        "chunk 1: raw payload of 4194303 bytes for a chunk of 4194304"),
                Arguments.of("SHA-256 checksum of 4 bytes", "0023" + "01" + "0000000000000007" + rest + "00400000"
                        + "00" + "00400000" + "01" + "e3069283", "truncated reading checksum (need 32 bytes, have 4)"),
                Arguments.of("CRC32C checksum of 32 bytes", "003f" + "01" + "0000000000000007" + rest + "00400000"
                        + "00" + "00400000" + "02" + GoldenFrames.SHA256_ABC, "28 unexpected trailing bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHeaders")
    void badHeadersAreRefused(String name, String bytes, String fragment) {
        byte[] raw = hex(bytes);
        // pad to the declared length where the test cut the header short on purpose
        int declared = ((raw[0] & 0xFF) << 8) | (raw[1] & 0xFF);
        byte[] padded = raw.length < 2 + declared ? Arrays.copyOf(raw, 2 + declared) : raw;

        assertRefused(() -> decode(padded), fragment);
    }

    @Test
    void checksumLengthMustMatchTheAlgorithm() {
        assertThatThrownBy(() -> new ChunkHeader(1, 0, 0, 1, Encoding.RAW, 1, ChecksumAlgorithm.SHA256,
                Bytes.fromHex("e3069283")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA256 checksum must be 32 bytes");
        assertThatThrownBy(() -> new ChunkHeader(1, 0, 0, 1, Encoding.RAW, 1, ChecksumAlgorithm.CRC32C,
                Bytes.of(new byte[32])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CRC32C checksum must be 4 bytes");
        assertThatThrownBy(() -> new ChunkHeader(1, -1, 0, 1, Encoding.RAW, 1, ChecksumAlgorithm.CRC32C,
                Bytes.of(new byte[4]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeRefusesWhatDecodeRefuses() {
        ChunkHeader mismatch = new ChunkHeader(1, 0, 0, 10, Encoding.RAW, 9, ChecksumAlgorithm.CRC32C,
                Bytes.of(new byte[4]));
        ChunkHeader tooLong = new ChunkHeader(1, 0, 0, ChunkPlan.MAX_CHUNK_SIZE + 1, Encoding.DEFLATE, 1,
                ChecksumAlgorithm.CRC32C, Bytes.of(new byte[4]));

        assertThatThrownBy(mismatch::encode).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("raw payload of 9 bytes for a chunk of 10");
        assertThatThrownBy(tooLong::encode).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk length 67108865 outside");
    }

    @Test
    void randomBytesNeverThrowAnythingButProtocolException() {
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = random.nextBoolean() ? CRC_GOLDEN.clone() : SHA_GOLDEN.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try {
                ChunkHeader header = decode(bytes);
                if (header != null) {
                    ByteBuffer again = header.encode();
                    assertThat(Wire.hexOf(again)).isEqualTo(Wire.hexOf(Arrays.copyOf(bytes, again.remaining())));
                }
            } catch (ProtocolException expected) {
                // fine
            } catch (RuntimeException e) {
                throw new AssertionError("decodeNext threw " + e + " for " + Wire.hexOf(bytes), e);
            }
        }
    }
}
