package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ChunkCodecTest {

    private ChunkCodec codec = new ChunkCodec();

    @AfterEach
    void close() {
        codec.close();
    }

    static byte[] textLike(int size, long seed) {
        String[] words = {"transfer", "chunk", "server", "client", "the", "of", "to", "and", "bytes", "path"};
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size + 128);
        while (text.length() < size) {
            text.append(1_764_000_000_000L + random.nextInt(1_000_000)).append(" INFO ");
            for (int w = 0; w < 8; w++) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            text.append(random.nextInt(100_000)).append('\n');
        }
        return java.util.Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    @ParameterizedTest
    @CsvSource({"ZSTD,4096", "ZSTD,100000", "ZSTD,1048576", "ZSTD,4194304", "ZSTD,4194287",
        "DEFLATE,4096", "DEFLATE,100000", "DEFLATE,1048576", "DEFLATE,4194304", "DEFLATE,4194287"})
    void compressibleDataRoundTripsAndShrinks(Encoding encoding, int size) throws ProtocolException {
        codec.close();
        codec = new ChunkCodec(encoding, 1, 0.1);
        byte[] original = textLike(size, size);
        ByteBuffer raw = direct(original);
        ByteBuffer out = ByteBuffer.allocateDirect(codec.maxCompressedLength(size));
        int n = codec.compress(raw, out);
        assertThat(n).isPositive().isLessThanOrEqualTo((int) (size * 0.9));
        assertThat(out.position()).isEqualTo(n);
        assertThat(raw.position()).isZero();
        assertThat(raw.remaining()).isEqualTo(size);

        ByteBuffer decoded = ByteBuffer.allocate(size);
        codec.decode(encoding, out.flip(), decoded, size);
        assertThat(decoded.position()).isEqualTo(size);
        assertThat(decoded.array()).isEqualTo(original);
    }

    @ParameterizedTest
    @EnumSource(value = Encoding.class, names = {"ZSTD", "DEFLATE"})
    void heapBuffersWorkToo(Encoding encoding) throws ProtocolException {
        codec.close();
        codec = new ChunkCodec(encoding, 1, 0.1);
        byte[] original = textLike(300_000, 3);
        ByteBuffer out = ByteBuffer.allocate(codec.maxCompressedLength(original.length));
        int n = codec.compress(ByteBuffer.wrap(original), out);
        assertThat(n).isPositive();
        ByteBuffer decoded = ByteBuffer.allocateDirect(original.length);
        codec.decode(encoding, out.flip(), decoded, original.length);
        ByteBuffer heapDecoded = ByteBuffer.allocate(original.length);
        codec.decode(encoding, out.duplicate(), heapDecoded, original.length);
        assertThat(heapDecoded.array()).isEqualTo(original);
        byte[] back = new byte[original.length];
        decoded.flip().get(back);
        assertThat(back).isEqualTo(original);
    }

    @ParameterizedTest
    @CsvSource({"ZSTD,4096", "ZSTD,100000", "ZSTD,4194304", "DEFLATE,4096", "DEFLATE,100000", "DEFLATE,4194304"})
    void randomDataStaysRaw(Encoding encoding, int size) {
        codec.close();
        codec = new ChunkCodec(encoding, 1, 0.1);
        ByteBuffer out = ByteBuffer.allocateDirect(codec.maxCompressedLength(size));
        assertThat(codec.compress(direct(random(size, 7)), out)).isEqualTo(-1);
        assertThat(out.position()).as("nothing claimed on refusal").isZero();
    }

    @Test
    void aChunkThatShrinksLessThanTheMinimumStaysRaw() {
        // half text, half random: the probe (middle of the chunk) straddles both; the chunk saves < 50%
        int size = 1 << 20;
        byte[] mixed = new byte[size];
        System.arraycopy(textLike(size / 2, 1), 0, mixed, 0, size / 2);
        System.arraycopy(random(size / 2, 2), 0, mixed, size / 2, size / 2);
        try (ChunkCodec strict = new ChunkCodec(Encoding.ZSTD, 1, 0.5)) {
            assertThat(strict.compress(direct(mixed), ByteBuffer.allocateDirect(strict.maxCompressedLength(size))))
                    .isEqualTo(-1);
        }
        try (ChunkCodec lenient = new ChunkCodec(Encoding.ZSTD, 1, 0.1)) {
            assertThat(lenient.compress(direct(mixed), ByteBuffer.allocateDirect(lenient.maxCompressedLength(size))))
                    .isPositive();
        }
    }

    @Test
    void probeSkipsAChunkWhoseMiddleIsIncompressibleWithoutTheFullDeflate() {
        // compressible at both ends, random in the middle 256 KiB: the probe says no
        int size = 4 << 20;
        byte[] bytes = textLike(size, 5);
        byte[] noise = random(256 * 1024, 6);
        System.arraycopy(noise, 0, bytes, size / 2 - noise.length / 2, noise.length);
        assertThat(codec.compress(direct(bytes), ByteBuffer.allocateDirect(codec.maxCompressedLength(size))))
                .isEqualTo(-1);
    }

    @Test
    void tinyChunksStayRaw() {
        byte[] zeros = new byte[ChunkCodec.MIN_CHUNK - 1];
        assertThat(codec.compress(ByteBuffer.wrap(zeros), ByteBuffer.allocate(zeros.length))).isEqualTo(-1);
    }

    @Test
    void rawDecodeCopiesAndChecksTheLength() throws ProtocolException {
        byte[] bytes = random(1000, 1);
        ByteBuffer out = ByteBuffer.allocate(1000);
        codec.decode(Encoding.RAW, ByteBuffer.wrap(bytes), out, 1000);
        assertThat(out.array()).isEqualTo(bytes);
        assertThatThrownBy(() -> codec.decode(Encoding.RAW, ByteBuffer.wrap(bytes), ByteBuffer.allocate(2000), 999))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void zstdDecodeRefusesGarbageTruncationAndWrongLengths() {
        assertThatThrownBy(() -> codec.decode(Encoding.ZSTD, ByteBuffer.wrap(random(5000, 9)),
                ByteBuffer.allocate(100_000), 100_000)).isInstanceOf(ProtocolException.class);
        byte[] original = textLike(200_000, 4);
        ByteBuffer out = ByteBuffer.allocateDirect(codec.maxCompressedLength(original.length));
        int n = codec.compress(ByteBuffer.wrap(original), out);
        out.flip();
        assertThat(n).isPositive();
        ByteBuffer truncated = out.duplicate().limit(n / 2);
        assertThatThrownBy(() -> codec.decode(Encoding.ZSTD, truncated, ByteBuffer.allocateDirect(original.length),
                original.length)).isInstanceOf(ProtocolException.class);
        ByteBuffer small = ByteBuffer.allocateDirect(original.length);
        assertThatThrownBy(() -> codec.decode(Encoding.ZSTD, out.duplicate(), small, 1000))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("declares");
        assertThat(small.position()).isZero();
        assertThatThrownBy(() -> codec.decode(Encoding.ZSTD, out.duplicate(),
                ByteBuffer.allocateDirect(original.length + 10), original.length + 10))
                .isInstanceOf(ProtocolException.class);
        ByteBuffer padded = ByteBuffer.allocateDirect(n + 3).put(out.duplicate()).put(new byte[] {1, 2, 3}).flip();
        assertThatThrownBy(() -> codec.decode(Encoding.ZSTD, padded, ByteBuffer.allocateDirect(original.length),
                original.length)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void deflateDecodeRefusesGarbageTruncationAndBombs() {
        codec.close();
        codec = new ChunkCodec(Encoding.DEFLATE, 1, 0.1);
        assertThatThrownBy(() -> codec.decode(Encoding.DEFLATE, ByteBuffer.wrap(random(5000, 9)),
                ByteBuffer.allocate(100_000), 100_000)).isInstanceOf(ProtocolException.class);

        byte[] original = textLike(200_000, 4);
        ByteBuffer out = ByteBuffer.allocate(codec.maxCompressedLength(original.length));
        int n = codec.compress(ByteBuffer.wrap(original), out);
        out.flip();
        ByteBuffer truncated = out.duplicate().limit(n / 2);
        assertThatThrownBy(() -> codec.decode(Encoding.DEFLATE, truncated, ByteBuffer.allocate(original.length),
                original.length)).isInstanceOf(ProtocolException.class).hasMessageContaining("ends early");

        // a header claiming fewer bytes than the payload holds: never writes past the claimed length
        ByteBuffer small = ByteBuffer.allocate(original.length);
        assertThatThrownBy(() -> codec.decode(Encoding.DEFLATE, out.duplicate(), small, 1000))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("more than");
        assertThat(small.position()).isZero();

        // claiming more bytes than the payload holds
        assertThatThrownBy(() -> codec.decode(Encoding.DEFLATE, out.duplicate(),
                ByteBuffer.allocate(original.length + 10), original.length + 10))
                .isInstanceOf(ProtocolException.class);

        // bytes after the deflate stream's end
        ByteBuffer padded = ByteBuffer.allocate(n + 3).put(out.duplicate()).put(new byte[] {1, 2, 3}).flip();
        assertThatThrownBy(() -> codec.decode(Encoding.DEFLATE, padded, ByteBuffer.allocate(original.length),
                original.length)).isInstanceOf(ProtocolException.class).hasMessageContaining("after its end");
    }

    @Test
    void decodesWhatAPlainJdkDeflaterWrites() throws ProtocolException {
        // interoperability: any raw-deflate encoder (level 9 here) is accepted, not only ChunkCodec's own
        byte[] original = textLike(500_000, 8);
        Deflater deflater = new Deflater(9, true);
        deflater.setInput(original);
        deflater.finish();
        byte[] buffer = new byte[original.length];
        int n = deflater.deflate(buffer);
        assertThat(deflater.finished()).isTrue();
        deflater.end();
        ByteBuffer out = ByteBuffer.allocate(original.length);
        codec.decode(Encoding.DEFLATE, ByteBuffer.wrap(buffer, 0, n), out, original.length);
        assertThat(out.array()).isEqualTo(original);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new ChunkCodec(Encoding.DEFLATE, 0, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkCodec(Encoding.DEFLATE, 10, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkCodec(Encoding.ZSTD, 20, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkCodec(Encoding.RAW, 1, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkCodec(Encoding.ZSTD, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkCodec(Encoding.ZSTD, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
