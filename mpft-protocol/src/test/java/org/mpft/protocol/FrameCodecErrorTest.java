package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mpft.protocol.Wire.hex;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every way bytes can fail to be a frame ends in a {@link ProtocolException} (code PROTOCOL_ERROR) with a
 * message saying what was wrong: never an IndexOutOfBounds, BufferUnderflow, NegativeArraySize or an
 * allocation sized by the peer.
 */
class FrameCodecErrorTest {

    static final FrameType.Link CONTROL = FrameType.Link.CONTROL;
    static final FrameType.Link CLUSTER = FrameType.Link.CLUSTER;

    static Stream<GoldenFrames.Golden> goldens() {
        return GoldenFrames.all().stream();
    }

    /** Asserts the call throws exactly ProtocolException, code PROTOCOL_ERROR, its message holding {@code fragment}. */
    static void assertRefused(ThrowingCallable call, String fragment) {
        assertThatThrownBy(call)
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    }

    /** Asserts {@code u8 type | body} is refused on {@code link}, both through decodeFrame and decodeNext. */
    static void assertBodyRefused(byte[] typeAndBody, FrameType.Link link, String fragment) {
        assertRefused(() -> Wire.decodeBody(typeAndBody, link), fragment);
        assertRefused(() -> FrameCodec.decodeNext(ByteBuffer.wrap(Wire.withLength(typeAndBody)), link), fragment);
    }

    // ---- truncation -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void decodeNextWaitsForEveryMissingByte(GoldenFrames.Golden golden) throws ProtocolException {
        byte[] encoded = golden.encoded();
        for (int cut = 0; cut < encoded.length; cut++) {
            ByteBuffer partial = ByteBuffer.wrap(Arrays.copyOf(encoded, cut));

            assertThat(FrameCodec.decodeNext(partial, Wire.linkOf(golden.type()))).as("cut at %d", cut).isNull();
            assertThat(partial.position()).as("position after cut at %d", cut).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void aBodyCutAtAnyByteIsRefused(GoldenFrames.Golden golden) {
        byte[] typeAndBody = Wire.withoutLength(golden.encoded());
        FrameType.Link link = Wire.linkOf(golden.type());
        assertRefused(() -> Wire.decodeBody(new byte[0], link), "empty frame");
        for (int cut = 1; cut < typeAndBody.length; cut++) {
            // the length prefix agrees with the cut body: the frame itself is short
            assertBodyRefused(Arrays.copyOf(typeAndBody, cut), link, "truncated");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void trailingBytesAreRefused(GoldenFrames.Golden golden) {
        byte[] typeAndBody = Wire.withoutLength(golden.encoded());
        byte[] longer = Arrays.copyOf(typeAndBody, typeAndBody.length + 1);

        assertBodyRefused(longer, Wire.linkOf(golden.type()), "1 unexpected trailing bytes");
    }

    // ---- length prefix ------------------------------------------------------------------------------------

    @ParameterizedTest(name = "length 0x{0}")
    @ValueSource(strings = {"00000000", "00100001", "00200000", "7fffffff", "80000000", "ffffffff"})
    void anOutOfRangeLengthIsRefusedFromItsFourBytesAlone(String prefix) {
        ByteBuffer in = ByteBuffer.wrap(hex(prefix));

        assertRefused(() -> FrameCodec.decodeNext(in, CONTROL), "frame length " + Integer.toUnsignedString(
                (int) Long.parseLong(prefix, 16)) + " outside [1, 1048576]");
    }

    @Test
    void theLargestLengthIsAcceptedAndWaitedFor() throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(hex("00100000", "0c"));

        assertThat(FrameCodec.decodeNext(in, CONTROL)).isNull();
        assertThat(in.position()).isZero();
    }

    @Test
    void checkLengthBounds() throws ProtocolException {
        FrameCodec.checkLength(1);
        FrameCodec.checkLength(FrameCodec.MAX_FRAME_LENGTH);
        assertRefused(() -> FrameCodec.checkLength(0), "outside");
        assertRefused(() -> FrameCodec.checkLength(-1), "4294967295");
        assertRefused(() -> FrameCodec.checkLength(FrameCodec.MAX_FRAME_LENGTH + 1), "1048577");
    }

    @Test
    void anOversizedFrameWithoutPrefixIsRefused() {
        byte[] huge = new byte[FrameCodec.MAX_FRAME_LENGTH + 1];
        huge[0] = 0x0c;

        assertRefused(() -> Wire.decodeBody(huge, CONTROL), "outside");
    }

    // ---- frame type and link ----------------------------------------------------------------------------

    static IntStream unknownTypes() {
        return IntStream.range(0, 256).filter(value -> Stream.of(FrameType.values())
                .noneMatch(type -> type.wireValue() == value));
    }

    @ParameterizedTest(name = "type 0x{0}")
    @MethodSource("unknownTypes")
    void unknownFrameTypesAreRefused(int value) {
        assertBodyRefused(new byte[] {(byte) value, 0, 0, 0, 0, 0, 0, 0, 0}, CONTROL,
                "unknown frame type 0x" + Integer.toHexString(value));
        assertRefused(() -> FrameType.fromWire(value), "unknown frame type");
    }

    @Test
    void fromWireOutsideAByteIsRefused() {
        assertRefused(() -> FrameType.fromWire(-1), "unknown frame type");
        assertRefused(() -> FrameType.fromWire(256), "unknown frame type 0x100");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void aFrameOnTheWrongLinkIsRefused(GoldenFrames.Golden golden) throws ProtocolException {
        byte[] typeAndBody = Wire.withoutLength(golden.encoded());
        switch (golden.type().link()) {
            case CONTROL -> assertBodyRefused(typeAndBody, CLUSTER,
                    golden.type() + " frame is not allowed on the CLUSTER link");
            case CLUSTER -> assertBodyRefused(typeAndBody, CONTROL,
                    golden.type() + " frame is not allowed on the CONTROL link");
            case ANY -> {
                assertThat(Wire.decodeBody(typeAndBody, CONTROL)).isEqualTo(golden.frame());
                assertThat(Wire.decodeBody(typeAndBody, CLUSTER)).isEqualTo(golden.frame());
            }
        }
    }

    // ---- enum values --------------------------------------------------------------------------------------

    static Stream<Arguments> invalidEnumValues() {
        String id = "0000000000000007";
        String metaHead = "09" + id + "0000000000000001" + "0000000000000000" + "00001000";
        String regHead = "24" + id + "0001 75" + "0001 70" + "0000000000000001" + "0000000000000000" + "00001000";
        return Stream.of(
                Arguments.of("OPEN strategy 3", "08" + "0001 61" + "03" + "0000000000000000", CONTROL,
                        "unknown strategy 3"),
                Arguments.of("OPEN strategy 255", "08" + "0001 61" + "ff" + "0000000000000000", CONTROL,
                        "unknown strategy 255"),
                Arguments.of("META checksum 0", metaHead + "00" + "01" + "0000000000000000" + "00", CONTROL,
                        "unknown checksum algorithm 0"),
                Arguments.of("META checksum 3", metaHead + "03" + "01" + "0000000000000000" + "00", CONTROL,
                        "unknown checksum algorithm 3"),
                Arguments.of("META strategy 9", metaHead + "01" + "09" + "0000000000000000" + "00", CONTROL,
                        "unknown strategy 9"),
                Arguments.of("NACK code 0", "0d" + id + "00000001" + "0000", CONTROL, "unknown error code 0"),
                Arguments.of("NACK code 19", "0d" + id + "00000001" + "0013", CONTROL, "unknown error code 19"),
                Arguments.of("NACK code 65535", "0d" + id + "00000001" + "ffff", CONTROL, "unknown error code 65535"),
                Arguments.of("ERROR code 0", "10" + "0000" + "0000" + "ffffffff", CONTROL, "unknown error code 0"),
                Arguments.of("ERROR code 0x100", "10" + "0100" + "0000" + "ffffffff", CLUSTER,
                        "unknown error code 256"),
                Arguments.of("CHUNK_ERROR code 99", "28" + id + "00000001" + "0063" + "0000", CLUSTER,
                        "unknown error code 99"),
                Arguments.of("TRANSFER_REFUSED code 0", "2b" + id + "0000" + "0000", CLUSTER,
                        "unknown error code 0"),
                Arguments.of("REGISTER_TRANSFER checksum 7", regHead + "07" + "0000" + "0000000000000000", CLUSTER,
                        "unknown checksum algorithm 7"),
                Arguments.of("LISTING entry type 0", "13" + "00" + "0001" + "0001 61" + "00" + "0000000000000000"
                        + "0000000000000000" + "ffffffff", CONTROL, "unknown entry type 0"),
                Arguments.of("LISTING entry type 3", "13" + "00" + "0001" + "0001 61" + "03" + "0000000000000000"
                        + "0000000000000000" + "ffffffff", CONTROL, "unknown entry type 3"),
                Arguments.of("REGISTER_TRANSFER compression 3", regHead + "01" + "0000" + "0000000000000000" + "03",
                        CLUSTER, "unknown chunk encoding 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEnumValues")
    void invalidEnumWireValuesAreRefused(String name, String typeAndBody, FrameType.Link link, String fragment) {
        assertBodyRefused(hex(typeAndBody), link, fragment);
    }

    @Test
    void enumFromWireRefusesUnknownValues() {
        for (int value : new int[] {-1, 3, 255, 256, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertRefused(() -> Strategy.fromWire(value), "unknown strategy");
            assertRefused(() -> Encoding.fromWire(value), "unknown chunk encoding"); // 2 is ZSTD
            assertRefused(() -> ChecksumAlgorithm.fromWire(value == 3 ? 0 : value), "unknown checksum algorithm");
            assertRefused(() -> ErrorCode.fromWire(value == 3 ? 0 : value), "unknown error code");
        }
    }

    // ---- field values -------------------------------------------------------------------------------------

    static Stream<Arguments> invalidFieldValues() {
        String id = "0000000000000007";
        String meta = "09" + id + "%s" + "0000000000000000" + "%s" + "01" + "01" + "0000000000000000" + "%s";
        return Stream.of(
                Arguments.of("ACK chunk -1", "0c" + id + "ffffffff", CONTROL, "chunk is negative: -1"),
                Arguments.of("NACK chunk MIN", "0d" + id + "80000000" + "0009", CONTROL, "chunk is negative"),
                Arguments.of("ERROR chunk -2", "10" + "0001" + "0000" + "fffffffe", CONTROL,
                        "chunk -2 is neither -1 nor an index"),
                Arguments.of("CHUNK_DIGESTS firstChunk -1", "0a" + id + "ffffffff" + "00000000", CONTROL,
                        "firstChunk is negative"),
                Arguments.of("META size -1", String.format(meta, "ffffffffffffffff", "00001000", "00"), CONTROL,
                        "size is negative: -1"),
                Arguments.of("META chunk size 4095", String.format(meta, "0000000000000001", "00000fff", "00"),
                        CONTROL, "chunk size 4095 outside [4096, 67108864]"),
                Arguments.of("META chunk size 64 MiB + 1", String.format(meta, "0000000000000001", "04000001", "00"),
                        CONTROL, "chunk size 67108865 outside"),
                Arguments.of("META chunk size negative", String.format(meta, "0000000000000001", "80000000", "00"),
                        CONTROL, "chunk size -2147483648 outside"),
                Arguments.of("META 65 secondaries", String.format(meta, "0000000000000001", "00001000", "41"),
                        CONTROL, "65 secondaries, over 64"),
                Arguments.of("META 255 secondaries", String.format(meta, "0000000000000001", "00001000", "ff"),
                        CONTROL, "255 secondaries"),
                Arguments.of("META Long.MAX_VALUE bytes", String.format(meta, "7fffffffffffffff", "00001000", "00"),
                        CONTROL, "more than " + ChunkPlan.MAX_CHUNKS + " chunks"),
                Arguments.of("META one chunk too many", String.format(meta,
                                String.format("%016x", (long) ChunkPlan.MAX_CHUNKS * 4096 + 1), "00001000", "00"),
                        CONTROL, "more than " + ChunkPlan.MAX_CHUNKS + " chunks"),
                Arguments.of("REGISTER_TRANSFER size -1", "24" + id + "0000" + "0000" + "8000000000000000",
                        CLUSTER, "size is negative"),
                Arguments.of("REGISTER_TRANSFER chunk size 0", "24" + id + "0000" + "0000" + "0000000000000001"
                        + "0000000000000000" + "00000000", CLUSTER, "chunk size 0 out of range"),
                Arguments.of("SEND_CHUNK chunk -1", "26" + id + "ffffffff" + "0000000000000000" + "00000001",
                        CLUSTER, "chunk is negative"),
                Arguments.of("SEND_CHUNK offset -1", "26" + id + "00000001" + "ffffffffffffffff" + "00000001",
                        CLUSTER, "offset is negative"),
                Arguments.of("SEND_CHUNK length 64 MiB + 1", "26" + id + "00000001" + "0000000000000000" + "04000001",
                        CLUSTER, "length 67108865 exceeds 67108864"),
                Arguments.of("SEND_CHUNK length -1", "26" + id + "00000001" + "0000000000000000" + "ffffffff",
                        CLUSTER, "length 4294967295 exceeds"),
                Arguments.of("CHUNK_SENT bytes -1", "27" + id + "00000001" + "0000" + "ffffffffffffffff"
                        + "0000000000000000", CLUSTER, "bytes is negative"),
                Arguments.of("CHUNK_SENT nanos MIN", "27" + id + "00000001" + "0000" + "0000000000000000"
                        + "8000000000000000", CLUSTER, "nanos is negative"),
                Arguments.of("CHUNK_ERROR chunk -1", "28" + id + "ffffffff" + "0009" + "0000", CLUSTER,
                        "chunk is negative"),
                Arguments.of("FILE_DIGEST of 5 bytes", "14" + id + "0005" + "0102030405", CONTROL,
                        "a digest of 5 bytes, 32 or 0 expected"),
                Arguments.of("FILE_DIGEST of 33 bytes", "14" + id + "0021" + "00".repeat(33), CONTROL,
                        "sha256 is 33 bytes, over 32"),
                Arguments.of("LIST max 0", "12" + "0000" + "0000" + "0000", CONTROL, "max 0 outside [1, 1000]"),
                Arguments.of("LIST max 1001", "12" + "0000" + "0000" + "03e9", CONTROL, "max 1001 outside"),
                Arguments.of("LIST max 65535", "12" + "0000" + "0000" + "ffff", CONTROL, "max 65535 outside"),
                Arguments.of("LISTING 1001 entries", "13" + "00" + "03e9", CONTROL, "1001 entries, over 1000"),
                Arguments.of("LISTING more 2", "13" + "02" + "0000", CONTROL, "boolean must be 0 or 1"),
                Arguments.of("LISTING size -1", "13" + "00" + "0001" + "0001 61" + "01" + "ffffffffffffffff"
                        + "0000000000000000" + "ffffffff", CONTROL, "size is negative"),
                Arguments.of("LISTING empty name", "13" + "00" + "0001" + "0000" + "01" + "0000000000000000"
                        + "0000000000000000" + "ffffffff", CONTROL, "one non-empty segment"),
                Arguments.of("LISTING name with a slash", "13" + "00" + "0001" + "0003 612f62" + "01"
                        + "0000000000000000" + "0000000000000000" + "ffffffff", CONTROL, "one non-empty segment"),
                Arguments.of("LISTING permissions 010000", "13" + "00" + "0001" + "0001 61" + "01"
                        + "0000000000000000" + "0000000000000000" + "00001000", CONTROL, "permissions must be -1 or 0 to 07777"),
                Arguments.of("LISTING permissions -2", "13" + "00" + "0001" + "0001 61" + "01"
                        + "0000000000000000" + "0000000000000000" + "fffffffe", CONTROL, "permissions must be -1 or 0 to 07777"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFieldValues")
    void invalidFieldValuesAreRefused(String name, String typeAndBody, FrameType.Link link, String fragment) {
        assertBodyRefused(hex(typeAndBody), link, fragment);
    }

    // ---- lengths of strings and byte strings -----------------------------------------------------------------

    static Stream<Arguments> badFieldLengths() {
        String id = "0000000000000007";
        return Stream.of(
                Arguments.of("AUTH_OK string of 8193 bytes", "05" + "2001" + "61".repeat(8193), CONTROL,
                        "user is 8193 bytes, over 8192"),
                Arguments.of("AUTH_OK string of 65535 bytes, absent", "05" + "ffff", CONTROL,
                        "user is 65535 bytes, over 8192"),
                Arguments.of("OPEN path longer than the frame", "08" + "0100" + "616263", CONTROL,
                        "truncated reading path (need 256 bytes, have 3)"),
                Arguments.of("HELLO agent one byte short", "01" + "0001" + "0000000000000000" + "0003" + "6162",
                        CONTROL, "truncated reading agent"),
                Arguments.of("SERVER_HELLO challenge of 257 bytes", "02" + "0001" + "0000000000000000" + "0101"
                        + "00".repeat(257) + "0000", CONTROL, "challenge is 257 bytes, over 256"),
                Arguments.of("AUTH_PASSWORD password of 1025 bytes", "03" + "0001 61" + "0401" + "00".repeat(1025),
                        CONTROL, "password is 1025 bytes, over 1024"),
                Arguments.of("AUTH_PUBLIC_KEY key of 4097 bytes", "04" + "0001 61" + "0001 61" + "1001",
                        CONTROL, "publicKey is 4097 bytes, over 4096"),
                Arguments.of("ATTACH ticket of 65535 bytes, absent", "06" + "ffff", CONTROL,
                        "ticket is 65535 bytes, over 4096"),
                Arguments.of("DONE sha256 of 65 bytes", "0f" + id + "0041" + "00".repeat(65), CONTROL,
                        "sha256 is 65 bytes, over 64"),
                Arguments.of("CHUNK_DIGESTS of 0x7fffffff bytes, absent", "0a" + id + "00000000" + "7fffffff",
                        CONTROL, "digests length 2147483647 exceeds 524288"),
                Arguments.of("CHUNK_DIGESTS of negative length", "0a" + id + "00000000" + "80000000", CONTROL,
                        "digests length 2147483648 exceeds 524288"),
                Arguments.of("CHUNK_DIGESTS of 512 KiB + 1, absent", "0a" + id + "00000000" + "00080001", CONTROL,
                        "digests length 524289 exceeds 524288"),
                Arguments.of("CHUNK_DIGESTS longer than the frame", "0a" + id + "00000000" + "00000010" + "0000",
                        CONTROL, "truncated reading digests (need 16 bytes, have 2)"),
                Arguments.of("START bitmap over the limit", "0b" + id + String.format("%08x",
                        ChunkPlan.MAX_CHUNKS / 8 + 1), CONTROL, "have length"),
                Arguments.of("START bitmap of -1 bytes", "0b" + id + "ffffffff", CONTROL, "have length 4294967295"),
                Arguments.of("META secondary cert of 65 bytes", "09" + id + "0000000000000001" + "0000000000000000"
                        + "00001000" + "01" + "01" + "0000000000000000" + "01" + "0000" + "0000" + "0000" + "0041",
                        CONTROL, "certificateSha256 is 65 bytes, over 64"),
                Arguments.of("META secondary cut short", "09" + id + "0000000000000001" + "0000000000000000"
                        + "00001000" + "01" + "01" + "0000000000000000" + "02" + "0000" + "0000" + "0000" + "0000"
                        + "0000", CONTROL, "truncated reading name length"),
                Arguments.of("CLUSTER_HELLO nonce of 65 bytes", "20" + "0000" + "0041" + "00".repeat(65), CLUSTER,
                        "nonce is 65 bytes, over 64"),
                Arguments.of("CLUSTER_PROOF proof of 0xffff bytes", "22" + "ffff", CLUSTER,
                        "proof is 65535 bytes, over 64"),
                Arguments.of("REGISTER_TRANSFER ticketId of 65 bytes", "24" + id + "0000" + "0000"
                        + "0000000000000001" + "0000000000000000" + "00001000" + "01" + "0041", CLUSTER,
                        "ticketId is 65 bytes, over 64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFieldLengths")
    void badFieldLengthsAreRefused(String name, String typeAndBody, FrameType.Link link, String fragment) {
        assertBodyRefused(hex(typeAndBody), link, fragment);
    }

    // ---- UTF-8 --------------------------------------------------------------------------------------------------

    static Stream<Arguments> malformedUtf8() {
        return Stream.of(
                Arguments.of("overlong '/' (C0 AF)", "c0af"),
                Arguments.of("overlong '.' (C0 AE)", "c0ae"),
                Arguments.of("overlong '.' in three bytes (E0 80 AE)", "e080ae"),
                Arguments.of("overlong '/' in four bytes (F0 80 80 AF)", "f08080af"),
                Arguments.of("overlong NUL (C0 80, modified UTF-8)", "c080"),
                Arguments.of("'..' of overlong dots", "c0aec0ae"),
                Arguments.of("'../x' with an overlong slash", "2e2ec0af78"),
                Arguments.of("high surrogate (ED A0 80)", "eda080"),
                Arguments.of("low surrogate (ED B0 80)", "edb080"),
                Arguments.of("CESU-8 surrogate pair", "eda0bdedb880"),
                Arguments.of("above U+10FFFF (F4 90 80 80)", "f4908080"),
                Arguments.of("five-byte form (F8 88 80 80 80)", "f888808080"),
                Arguments.of("byte FF", "61ff62"),
                Arguments.of("byte FE", "fe"),
                Arguments.of("lone continuation byte", "6180"),
                Arguments.of("sequence cut short", "61e282"),
                Arguments.of("lead byte then ASCII", "c361"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUtf8")
    void malformedUtf8IsRefusedInAnOpenPath(String name, String utf8) {
        byte[] raw = hex(utf8);
        String typeAndBody = "08" + String.format("%04x", raw.length) + utf8 + "01" + "0000000000000000";

        assertBodyRefused(hex(typeAndBody), CONTROL, "OPEN: path is not valid UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUtf8")
    void malformedUtf8IsRefusedInEveryStringField(String name, String utf8) {
        String string = String.format("%04x", hex(utf8).length) + utf8;
        assertBodyRefused(hex("01", "0001", "0000000000000000", string), CONTROL, "HELLO: agent is not valid UTF-8");
        assertBodyRefused(hex("10", "0001", string, "ffffffff"), CLUSTER, "ERROR: message is not valid UTF-8");
        assertBodyRefused(hex("24", "0000000000000001", "0001 61", string), CLUSTER,
                "REGISTER_TRANSFER: path is not valid UTF-8");
        assertBodyRefused(hex("2b", "0000000000000001", "000d", string), CLUSTER,
                "TRANSFER_REFUSED: message is not valid UTF-8");
    }

    @Test
    void validFourByteUtf8IsAccepted() throws ProtocolException {
        // U+1F4BE in four bytes, then U+10FFFF (the largest code point)
        Frame frame = Wire.decodeBody(hex("05", "0008", "f09f92be", "f48fbfbf"), CONTROL);

        assertThat(frame).isEqualTo(new AuthOk("\uD83D\uDCBE\uDBFF\uDFFF"));
    }
}
