package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutated and random bytes (seeded, so a failure repeats): the decoder returns a frame or throws
 * {@link ProtocolException}, nothing else; and a frame it accepts re-encodes to exactly the bytes it came
 * from (the encoding is canonical, and the encoder accepts everything the decoder does).
 */
@Timeout(60)
class FrameFuzzTest {

    static final int MUTATIONS_PER_FRAME = 2000;

    static Stream<GoldenFrames.Golden> goldens() {
        return GoldenFrames.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void mutatedFramesDecodeCanonicallyOrFailCleanly(GoldenFrames.Golden golden) {
        Random random = new Random(golden.type().wireValue() * 7919L);
        byte[] original = Wire.withoutLength(golden.encoded());
        int accepted = 0;
        for (int i = 0; i < MUTATIONS_PER_FRAME; i++) {
            byte[] mutated = mutate(original, random);
            if (mutated.length > 0) {
                mutated[0] = original[0]; // keep the type most of the time, so bodies get exercised
                if (random.nextInt(16) == 0) {
                    mutated[0] = (byte) random.nextInt(256);
                }
            }
            for (FrameType.Link link : new FrameType.Link[] {FrameType.Link.CONTROL, FrameType.Link.CLUSTER}) {
                Frame frame = decodeOrNull(mutated, link);
                if (frame != null) {
                    accepted++;
                    assertThat(Wire.withoutLength(Wire.encode(frame))).as("re-encoding of %s", Wire.hexOf(mutated))
                            .isEqualTo(mutated);
                }
            }
        }
        assertThat(accepted).as("some mutations stay valid frames").isPositive();
    }

    @Test
    void randomStreamsNeverThrowAnythingButProtocolException() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (bytes.length >= 5 && random.nextBoolean()) {
                // a plausible small length, so the body decoders run
                ByteBuffer.wrap(bytes).putInt(Math.max(1, bytes.length - 4 - random.nextInt(3)));
                bytes[4] = (byte) FrameType.values()[random.nextInt(FrameType.values().length)].wireValue();
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            try {
                while (FrameCodec.decodeNext(in, random.nextBoolean() ? FrameType.Link.CONTROL
                        : FrameType.Link.CLUSTER) != null) {
                    // keep reading
                }
            } catch (ProtocolException expected) {
                // fine
            } catch (RuntimeException | Error e) {
                fail("decodeNext threw " + e + " for " + Wire.hexOf(bytes), e);
            }
        }
    }

    static Frame decodeOrNull(byte[] typeAndBody, FrameType.Link link) {
        try {
            return FrameCodec.decodeFrame(ByteBuffer.wrap(typeAndBody), link);
        } catch (ProtocolException expected) {
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decodeFrame threw " + e + " for " + Wire.hexOf(typeAndBody), e);
        }
    }

    static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(6)) {
                case 0 -> { // flip a bit
                    if (bytes.length > 0) {
                        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> { // set a byte to an edge value
                    if (bytes.length > 0) {
                        int[] edges = {0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0xC0, 0xED};
                        bytes[random.nextInt(bytes.length)] = (byte) edges[random.nextInt(edges.length)];
                    }
                }
                case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)); // cut
                case 3 -> { // insert a byte
                    int at = random.nextInt(bytes.length + 1);
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
                case 4 -> { // delete a byte
                    if (bytes.length > 1) {
                        int at = random.nextInt(bytes.length);
                        byte[] shorter = new byte[bytes.length - 1];
                        System.arraycopy(bytes, 0, shorter, 0, at);
                        System.arraycopy(bytes, at + 1, shorter, at, shorter.length - at);
                        bytes = shorter;
                    }
                }
                default -> { // overwrite 4 bytes with a random int (lengths, counts, enum values)
                    if (bytes.length >= 5) {
                        ByteBuffer.wrap(bytes).putInt(1 + random.nextInt(bytes.length - 4), random.nextInt());
                    }
                }
            }
        }
        return bytes;
    }
}
