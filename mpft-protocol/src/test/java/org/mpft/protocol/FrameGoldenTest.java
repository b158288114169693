package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Exact encodings of one frame of every kind (kwik style): the bytes, and the record they decode to. */
class FrameGoldenTest {

    static Stream<GoldenFrames.Golden> goldens() {
        return GoldenFrames.all().stream();
    }

    @Test
    void everyFrameTypeHasAGoldenEncoding() {
        Set<FrameType> covered = goldens().map(GoldenFrames.Golden::type).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(FrameType.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void encodesToTheGoldenBytes(GoldenFrames.Golden golden) {
        ByteBuffer encoded = FrameCodec.encode(golden.frame());

        assertThat(encoded.position()).isZero();
        assertThat(Wire.hexOf(encoded)).isEqualTo(Wire.hexOf(golden.encoded()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void goldenBytesDecodeToTheEqualRecord(GoldenFrames.Golden golden) throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(golden.encoded());

        Frame decoded = FrameCodec.decodeNext(in, Wire.linkOf(golden.type()));

        assertThat(decoded).isEqualTo(golden.frame());
        assertThat(decoded.type()).isEqualTo(golden.type());
        assertThat(in.hasRemaining()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void lengthPrefixCountsTypeAndBody(GoldenFrames.Golden golden) {
        ByteBuffer encoded = ByteBuffer.wrap(golden.encoded());

        assertThat(encoded.getInt(0)).isEqualTo(golden.encoded().length - FrameCodec.LENGTH_FIELD_BYTES);
        assertThat(encoded.get(4) & 0xFF).isEqualTo(golden.type().wireValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void decodeFrameTakesTypeAndBodyWithoutThePrefix(GoldenFrames.Golden golden) throws ProtocolException {
        Frame decoded = Wire.decodeBody(Wire.withoutLength(golden.encoded()), Wire.linkOf(golden.type()));

        assertThat(decoded).isEqualTo(golden.frame());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void decodesFromADirectBufferAtAnOffset(GoldenFrames.Golden golden) throws ProtocolException {
        ByteBuffer direct = ByteBuffer.allocateDirect(golden.encoded().length + 5);
        direct.put(new byte[] {9, 9, 9}).put(golden.encoded()).put(new byte[] {1, 2}).flip().position(3);

        Frame decoded = FrameCodec.decodeNext(direct, Wire.linkOf(golden.type()));

        assertThat(decoded).isEqualTo(golden.frame());
        assertThat(direct.remaining()).isEqualTo(2);
    }

    @Test
    void errorFrameTravelsOnBothLinks() throws ProtocolException {
        byte[] encoded = Wire.encode(ErrorFrame.of(ErrorCode.CLUSTER_AUTH_FAILED, "bad proof"));

        assertThat(Wire.decode(encoded, FrameType.Link.CONTROL)).isEqualTo(Wire.decode(encoded, FrameType.Link.CLUSTER));
    }

    @Test
    void frameTypesHaveStableDistinctWireValuesAndLinks() {
        assertThat(Stream.of(FrameType.values()).map(t -> t.name() + "=" + t.wireValue() + "/" + t.link()))
                .containsExactly(
                        "HELLO=1/CONTROL", "SERVER_HELLO=2/CONTROL", "AUTH_PASSWORD=3/CONTROL",
                        "AUTH_PUBLIC_KEY=4/CONTROL", "AUTH_OK=5/CONTROL", "ATTACH=6/CONTROL", "ATTACHED=7/CONTROL",
                        "OPEN=8/CONTROL", "META=9/CONTROL", "CHUNK_DIGESTS=10/CONTROL", "START=11/CONTROL",
                        "ACK=12/CONTROL", "NACK=13/CONTROL", "CANCEL=14/CONTROL", "DONE=15/CONTROL", "ERROR=16/ANY",
                        "AUTH_TOKEN=17/CONTROL", "LIST=18/CONTROL", "LISTING=19/CONTROL",
                        "FILE_DIGEST=20/CONTROL",
                        "CLUSTER_HELLO=32/CLUSTER", "CLUSTER_CHALLENGE=33/CLUSTER", "CLUSTER_PROOF=34/CLUSTER",
                        "CLUSTER_WELCOME=35/CLUSTER", "REGISTER_TRANSFER=36/CLUSTER",
                        "TRANSFER_REGISTERED=37/CLUSTER", "SEND_CHUNK=38/CLUSTER", "CHUNK_SENT=39/CLUSTER",
                        "CHUNK_ERROR=40/CLUSTER", "END_TRANSFER=41/CLUSTER", "CLIENT_ATTACHED=42/CLUSTER",
                        "TRANSFER_REFUSED=43/CLUSTER", "LINK_PING=44/CLUSTER", "LINK_PONG=45/CLUSTER");
    }

    @Test
    void fromWireFindsEveryType() throws ProtocolException {
        for (FrameType type : FrameType.values()) {
            assertThat(FrameType.fromWire(type.wireValue())).isSameAs(type);
        }
    }

    @Test
    void linkAllows() {
        assertThat(FrameType.Link.ANY.allows(FrameType.Link.CONTROL)).isTrue();
        assertThat(FrameType.Link.ANY.allows(FrameType.Link.CLUSTER)).isTrue();
        assertThat(FrameType.Link.CONTROL.allows(FrameType.Link.CONTROL)).isTrue();
        assertThat(FrameType.Link.CONTROL.allows(FrameType.Link.CLUSTER)).isFalse();
        assertThat(FrameType.Link.CLUSTER.allows(FrameType.Link.CONTROL)).isFalse();
    }
}
