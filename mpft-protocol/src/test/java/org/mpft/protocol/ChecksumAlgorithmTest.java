package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SHA-256 and CRC-32C against published vectors, on heap and direct buffers, leaving the position alone. */
class ChecksumAlgorithmTest {

    static ByteBuffer buffer(String text, boolean direct) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        return buffer.put(bytes).flip();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @ParameterizedTest(name = "{0}({1}) = {2}")
    @CsvSource({
            "SHA256, abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "SHA256, '', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "SHA256, abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq, "
                    + "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            "CRC32C, 123456789, e3069283",
            "CRC32C, '', 00000000",
            "CRC32C, a, c1d04330",
    })
    void knownVectors(ChecksumAlgorithm algorithm, String input, String expected) {
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer data = buffer(input, direct);

            byte[] checksum = algorithm.compute(data);

            assertThat(hex(checksum)).isEqualTo(expected);
            assertThat(checksum).hasSize(algorithm.length());
            assertThat(data.position()).isZero();
            assertThat(data.remaining()).isEqualTo(input.length());
            assertThat(algorithm.verify(data, checksum)).isTrue();
            assertThat(data.position()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void computesPositionToLimitOnly(boolean direct) {
        ByteBuffer data = buffer("xx123456789yy", direct);
        data.position(2).limit(11);

        assertThat(hex(ChecksumAlgorithm.CRC32C.compute(data))).isEqualTo("e3069283");
        assertThat(hex(ChecksumAlgorithm.CRC32C.compute(data.slice()))).isEqualTo("e3069283");
        assertThat(data.position()).isEqualTo(2);
        assertThat(data.limit()).isEqualTo(11);
    }

    @Test
    void readOnlyBuffersWork() {
        ByteBuffer data = buffer("abc", false).asReadOnlyBuffer();

        assertThat(hex(ChecksumAlgorithm.SHA256.compute(data))).startsWith("ba7816bf");
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void verifyRefusesWrongChecksums(ChecksumAlgorithm algorithm) {
        ByteBuffer data = buffer("123456789", true);
        byte[] good = algorithm.compute(data);
        byte[] flipped = good.clone();
        flipped[flipped.length - 1] ^= 1;

        assertThat(algorithm.verify(data, good)).isTrue();
        assertThat(algorithm.verify(data, flipped)).isFalse();
        assertThat(algorithm.verify(data, null)).isFalse();
        assertThat(algorithm.verify(data, new byte[0])).isFalse();
        assertThat(algorithm.verify(data, java.util.Arrays.copyOf(good, good.length + 1))).isFalse();
        assertThat(algorithm.verify(buffer("123456780", false), good)).isFalse();
        assertThat(data.position()).isZero();
    }

    @Test
    void wireValuesAndLengths() throws ProtocolException {
        assertThat(ChecksumAlgorithm.SHA256.wireValue()).isEqualTo(1);
        assertThat(ChecksumAlgorithm.SHA256.length()).isEqualTo(32);
        assertThat(ChecksumAlgorithm.CRC32C.wireValue()).isEqualTo(2);
        assertThat(ChecksumAlgorithm.CRC32C.length()).isEqualTo(4);
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            assertThat(ChecksumAlgorithm.fromWire(algorithm.wireValue())).isSameAs(algorithm);
        }
    }

    @Test
    void sha256GivesFreshDigests() {
        assertThat(ChecksumAlgorithm.sha256()).isNotSameAs(ChecksumAlgorithm.sha256());
        assertThat(ChecksumAlgorithm.sha256().getAlgorithm()).isEqualTo("SHA-256");
    }
}
