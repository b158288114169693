package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The released wire values of the enums and feature bits: pinned, distinct and reversible. */
class WireValuesTest {

    @Test
    void errorCodesArePinned() throws ProtocolException {
        assertThat(Stream.of(ErrorCode.values()).map(c -> c.name() + "=" + c.wireValue())).containsExactly(
                "PROTOCOL_ERROR=1", "UNSUPPORTED_VERSION=2", "AUTHENTICATION_FAILED=3", "ACCESS_DENIED=4",
                "FILE_NOT_FOUND=5", "INVALID_PATH=6", "FILE_TOO_LARGE=7", "CHUNK_TIMEOUT=8", "CHUNK_CORRUPTION=9",
                "SERVER_UNAVAILABLE=10", "INSUFFICIENT_SPACE=11", "CANCELLED=12", "STALE_FILE=13",
                "INVALID_TICKET=14", "LIMIT_EXCEEDED=15", "INTERNAL_ERROR=16", "FILE_CHANGED=17",
                "CLUSTER_AUTH_FAILED=18");
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.fromWire(code.wireValue())).isSameAs(code);
        }
    }

    @Test
    void strategiesAndEncodingsArePinned() throws ProtocolException {
        assertThat(Stream.of(Strategy.values()).map(s -> s.name() + "=" + s.wireValue()))
                .containsExactly("SERVER_DEFAULT=0", "ALTERNATE=1", "ADAPTIVE=2");
        assertThat(Stream.of(Encoding.values()).map(e -> e.name() + "=" + e.wireValue()))
                .containsExactly("RAW=0", "DEFLATE=1", "ZSTD=2");
        for (Strategy strategy : Strategy.values()) {
            assertThat(Strategy.fromWire(strategy.wireValue())).isSameAs(strategy);
        }
        for (Encoding encoding : Encoding.values()) {
            assertThat(Encoding.fromWire(encoding.wireValue())).isSameAs(encoding);
        }
    }

    @Test
    void strategySettingNames() {
        assertThat(Strategy.ALTERNATE.settingName()).isEqualTo("alternate");
        assertThat(Strategy.SERVER_DEFAULT.settingName()).isEqualTo("server-default");
        assertThat(Strategy.fromSetting(" Adaptive ")).isEqualTo(Strategy.ADAPTIVE);
        assertThatThrownBy(() -> Strategy.fromSetting("server-default"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected alternate or adaptive");
    }

    @Test
    void featureBits() {
        assertThat(Features.COMPRESSION).isEqualTo(1L);
        assertThat(Features.MULTI_PATH).isEqualTo(2L);
        assertThat(Features.TRANSFER_STREAMS).isEqualTo(4L);
        assertThat(Features.FILE_DIGEST).isEqualTo(8L);
        assertThat(Features.LIST_PIPELINE).isEqualTo(16L);
        assertThat(Features.ALL).isEqualTo(31L);
        assertThat(Features.has(Features.ALL, Features.MULTI_PATH)).isTrue();
        assertThat(Features.has(Features.COMPRESSION, Features.MULTI_PATH)).isFalse();
        assertThat(Features.has(Features.COMPRESSION, Features.ALL)).isFalse();
        assertThat(Features.has(0, 0)).isTrue();
    }

    @Test
    void protocolExceptionsCarryProtocolError() {
        ProtocolException e = new ProtocolException("bad");

        assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(e).isInstanceOf(MpftException.class).hasMessage("bad");
        assertThatThrownBy(() -> new MpftException(null, "x")).isInstanceOf(NullPointerException.class);
        assertThat(new MpftException(ErrorCode.STALE_FILE, "m", e).getCause()).isSameAs(e);
    }

    @Test
    void bytesHaveValueSemanticsAndStayImmutable() {
        byte[] source = {1, 2, 3};
        Bytes bytes = Bytes.of(source);
        source[0] = 9;
        bytes.toByteArray()[1] = 9;

        assertThat(bytes.hex()).isEqualTo("010203");
        assertThat(bytes).isEqualTo(Bytes.fromHex("010203")).hasSameHashCodeAs(Bytes.fromHex("010203"));
        assertThat(bytes).isNotEqualTo(Bytes.fromHex("0102"));
        assertThat(bytes.length()).isEqualTo(3);
        assertThat(Bytes.EMPTY.isEmpty()).isTrue();
        assertThat(Bytes.of(new byte[40]).toString()).isEqualTo("00".repeat(32) + "...(40 bytes)");
        assertThat(Bytes.fromHex("ab")).hasToString("ab");
    }
}
