package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property-based tests of every frame decoder, on both links (client control streams and the primary
 * <-> secondary cluster link): random, truncated, oversized, wrong-type, wrong-link and wrong-order input
 * never throws anything but {@link ProtocolException}, never allocates more than the bytes it was given
 * (and so never more than the frame limit), and valid frames survive a round trip unchanged. What
 * "closes only the offending stream" means on the wire is tested where streams exist
 * ({@code FrameStreamCodecPropertyTest} in mpft-transport, the plugin's session tests). Each property runs
 * over seeded cases ({@link Seeded}): a failure prints the seed that replays it.
 */
class FramePropertyTest {

    /** Allocation a decode may make beyond a small multiple of its input (buffers, strings, exceptions), bytes. */
    static final long ALLOCATION_SLACK = 64 * 1024;

    static final FrameType.Link[] LINKS = {FrameType.Link.CONTROL, FrameType.Link.CLUSTER};

    @BeforeAll
    static void allocationCounterWorks() {
        assertThat(Allocation.supported()).as("per-thread allocation counter").isTrue();
        assertThat(Allocation.of(() -> Arrays.fill(new byte[100_000], (byte) 1))).isGreaterThanOrEqualTo(100_000);
    }

    // ---- valid frames

    @Test
    void validFramesRoundTripOnTheirLink() {
        Seeded.check(300, sample -> {
            Frame frame = FrameGenerators.frame(sample);
            byte[] encoded = Wire.encode(frame);
            Frame decoded = Wire.decode(encoded, Wire.linkOf(frame.type()));
            assertThat(decoded).isEqualTo(frame);
            assertThat(Wire.encode(decoded)).isEqualTo(encoded);
        });
    }

    @Test
    void clusterFramesAreRefusedOnControlStreamsAndControlFramesOnTheClusterLink() {
        Seeded.check(300, sample -> {
            Frame frame = FrameGenerators.frame(sample);
            FrameType.Link own = Wire.linkOf(frame.type());
            for (FrameType.Link other : LINKS) {
                if (!frame.type().link().allows(other)) {
                    assertThatThrownBy(() -> Wire.decode(Wire.encode(frame), other))
                            .isInstanceOf(ProtocolException.class).hasMessageContaining("not allowed");
                }
            }
            assertThat(own).isNotNull();
        });
    }

    // ---- truncated

    @Test
    void aCutFrameWaitsForMoreAndItsCutBodyIsRefused() {
        Seeded.check(200, sample -> {
            Frame frame = FrameGenerators.frame(sample);
            byte[] encoded = Wire.encode(frame);
            int cut = (int) (sample.fraction() * encoded.length); // [0, length)
            byte[] prefix = Arrays.copyOf(encoded, cut);
            ByteBuffer in = ByteBuffer.wrap(prefix);
            FrameType.Link link = Wire.linkOf(frame.type());
            assertThat(decodeNext(in, link)).as("%d of %d bytes", cut, encoded.length).isNull();
            assertThat(in.position()).as("nothing consumed").isZero();
            if (cut > FrameCodec.LENGTH_FIELD_BYTES) {
                byte[] body = Arrays.copyOfRange(encoded, FrameCodec.LENGTH_FIELD_BYTES, cut);
                assertThatThrownBy(() -> Wire.decodeBody(body, link)).isInstanceOf(ProtocolException.class);
            }
        });
    }

    // ---- oversized

    @Test
    void aLengthOutsideTheLimitIsRefusedFromItsFourBytesAlone() {
        Seeded.check(1000, sample -> {
            // below the limit (0 and negative) or above it, both sides' ends included
            int length = sample.booleans() ? sample.ints(Integer.MIN_VALUE, 0)
                    : sample.ints(FrameCodec.MAX_FRAME_LENGTH + 1, Integer.MAX_VALUE);
            FrameType.Link link = sample.of(LINKS);
            ByteBuffer prefix = ByteBuffer.allocate(4).putInt(length).flip();
            long allocated = Allocation.of(() -> FrameCodec.decodeNext(prefix.duplicate(), link));
            assertThatThrownBy(() -> FrameCodec.decodeNext(prefix, link)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("frame length");
            assertThat(allocated).isLessThan(ALLOCATION_SLACK);
        });
    }

    @Test
    void aFrameAnnouncingTheMaximumLengthIsNotBufferedUntilItIsComplete() {
        Seeded.check(1000, sample -> {
            int length = sample.ints(1, FrameCodec.MAX_FRAME_LENGTH);
            byte[] someOfIt = sample.byteArray(0, Math.min(256, length - 1)); // always less than announced
            FrameType.Link link = sample.of(LINKS);
            ByteBuffer in = ByteBuffer.allocate(4 + someOfIt.length).putInt(length).put(someOfIt).flip();
            long allocated = Allocation.of(() -> assertThat(FrameCodec.decodeNext(in.duplicate(), link)).isNull());
            assertThat(in.position()).isZero();
            assertThat(allocated).isLessThan(ALLOCATION_SLACK);
        });
    }

    @Test
    void lengthFieldsInsideABodyNeverAllocateBeyondTheBody() {
        Seeded.check(300, sample -> {
            // a u16 or u32 length field claiming far more than the frame holds: refused before allocating
            Frame frame = FrameGenerators.frame(sample);
            int hostileLength = sample.ints();
            int at = sample.ints(0, 40);
            byte[] body = Wire.withoutLength(Wire.encode(frame));
            sample.assume(body.length > 5, "a body of more than 5 bytes");
            int pos = 1 + at % (body.length - 4);
            ByteBuffer.wrap(body).putInt(pos, hostileLength);
            FrameType.Link link = Wire.linkOf(frame.type());
            long allocated = Allocation.of(() -> decodeOrProtocolError(body, link));
            assertThat(allocated).as("allocated for a %d-byte body", body.length)
                    .isLessThan(8L * body.length + ALLOCATION_SLACK);
        });
    }

    // ---- random and mutated

    @Test
    void randomBytesGiveAFrameNullOrAProtocolException() {
        Seeded.check(5000, sample -> {
            byte[] bytes = sample.byteArray(0, 300);
            boolean plausibleHeader = sample.booleans();
            FrameType.Link link = sample.of(LINKS);
            if (plausibleHeader && bytes.length >= 5) {
                // a length that fits what follows and a known type, so that the body decoders run
                ByteBuffer.wrap(bytes).putInt(0, bytes.length - 4);
                bytes[4] = (byte) FrameType.values()[Math.floorMod(bytes[4], FrameType.values().length)].wireValue();
            }
            long allocated = Allocation.of(() -> {
                ByteBuffer in = ByteBuffer.wrap(bytes);
                while (true) {
                    Frame frame = decodeNext(in, link);
                    if (frame == null) {
                        break;
                    }
                    assertThat(Wire.encode(frame)).as("canonical").hasSizeLessThanOrEqualTo(bytes.length);
                }
            });
            assertThat(allocated).isLessThan(8L * bytes.length + ALLOCATION_SLACK);
        });
    }

    @Test
    void mutatedFramesDecodeCanonicallyOrAreRefused() {
        Seeded.check(300, sample -> {
            Frame frame = FrameGenerators.frame(sample);
            byte[] body = FrameFuzzTest.mutate(Wire.withoutLength(Wire.encode(frame)),
                    new java.util.Random(sample.longs()));
            for (FrameType.Link link : LINKS) {
                Frame decoded = decodeOrProtocolError(body, link);
                if (decoded != null) {
                    assertThat(Wire.withoutLength(Wire.encode(decoded))).isEqualTo(body);
                }
            }
        });
    }

    // ---- wrong type

    @Test
    void aBodyUnderAnotherTypeByteDecodesCanonicallyOrIsRefused() {
        Seeded.check(1000, sample -> {
            Frame frame = FrameGenerators.frame(sample);
            byte otherType = sample.bytes();
            byte[] body = Wire.withoutLength(Wire.encode(frame));
            sample.assume(otherType != body[0], "another type byte");
            body[0] = otherType;
            for (FrameType.Link link : LINKS) {
                Frame decoded = decodeOrProtocolError(body, link);
                if (decoded != null) {
                    assertThat(decoded.type().wireValue()).isEqualTo(otherType & 0xFF);
                    assertThat(Wire.withoutLength(Wire.encode(decoded))).isEqualTo(body);
                }
            }
        });
    }

    // ---- wrong order / streams of frames

    @Test
    void aStreamOfFramesInAnyOrderDecodesFrameByFrameUntilTheFirstBadOne() {
        Seeded.check(100, sample -> aStreamOfFramesDecodesFrameByFrame(sample.list(8, FrameGenerators::frame),
                sample.byteArray(0, 40), sample.of(LINKS)));
    }

    private static void aStreamOfFramesDecodesFrameByFrame(List<Frame> frames, byte[] garbage, FrameType.Link link) {
        // the codec does not judge order (the session's state machine does); it must keep frames apart
        ByteBuffer in = ByteBuffer.allocate(frames.stream().mapToInt(f -> Wire.encode(f).length).sum()
                + garbage.length);
        List<Frame> expected = new ArrayList<>();
        boolean stopped = false;
        for (Frame f : frames) {
            in.put(Wire.encode(f));
            if (!stopped && f.type().link().allows(link)) {
                expected.add(f);
            } else {
                stopped = true;
            }
        }
        in.put(garbage).flip();
        List<Frame> decoded = new ArrayList<>();
        try {
            Frame f;
            while ((f = FrameCodec.decodeNext(in, link)) != null) {
                decoded.add(f);
            }
        } catch (ProtocolException expectedFailure) {
            // the first frame of the other link, or the garbage
        } catch (RuntimeException | Error e) {
            fail("decodeNext threw " + e, e);
        }
        assertThat(decoded).hasSizeGreaterThanOrEqualTo(expected.size());
        assertThat(decoded.subList(0, expected.size())).isEqualTo(expected);
        if (stopped) {
            assertThat(decoded).hasSize(expected.size());
        }
    }

    // ---- cluster link, on its own

    @Test
    void clusterLinkFramesSurviveMutationAndCutsCleanly() {
        Seeded.check(300, sample -> {
            Frame frame = FrameGenerators.clusterFrame(sample);
            byte[] body = Wire.withoutLength(Wire.encode(frame));
            java.util.Random random = new java.util.Random(sample.longs());
            byte[] mutated = FrameFuzzTest.mutate(body, random);
            Frame decoded = decodeOrProtocolError(mutated, FrameType.Link.CLUSTER);
            if (decoded != null) {
                assertThat(decoded.type().link().allows(FrameType.Link.CLUSTER)).isTrue();
                assertThat(Wire.withoutLength(Wire.encode(decoded))).isEqualTo(mutated);
            }
            byte[] cut = Arrays.copyOf(body, random.nextInt(body.length));
            if (cut.length > 0) {
                assertThatThrownBy(() -> Wire.decodeBody(cut, FrameType.Link.CLUSTER))
                        .isInstanceOf(ProtocolException.class);
            }
        });
    }

    /** decodeNext, failing the test on anything but a frame, null or ProtocolException (returned as null). */
    static Frame decodeNext(ByteBuffer in, FrameType.Link link) {
        try {
            return FrameCodec.decodeNext(in, link);
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decodeNext threw " + e, e);
        }
    }

    /** decodeFrame of {@code u8 type | body}: the frame, or null after a ProtocolException; nothing else. */
    static Frame decodeOrProtocolError(byte[] typeAndBody, FrameType.Link link) {
        try {
            return FrameCodec.decodeFrame(ByteBuffer.wrap(typeAndBody), link);
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e.getMessage()).isNotBlank();
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decodeFrame threw " + e + " for " + Wire.hexOf(typeAndBody), e);
        }
    }
}
