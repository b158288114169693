package org.mpft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based tests of every frame decoder, on both links (client control streams and the primary
 * <-> secondary cluster link): random, truncated, oversized, wrong-type, wrong-link and wrong-order input
 * never throws anything but {@link ProtocolException}, never allocates more than the bytes it was given
 * (and so never more than the frame limit), and valid frames survive a round trip unchanged. What
 * "closes only the offending stream" means on the wire is tested where streams exist
 * ({@code FrameStreamCodecPropertyTest} in mpft-transport, the plugin's session tests).
 */
class FramePropertyTest {

    /** Allocation a decode may make beyond a small multiple of its input (buffers, strings, exceptions), bytes. */
    static final long ALLOCATION_SLACK = 64 * 1024;

    static final FrameType.Link[] LINKS = {FrameType.Link.CONTROL, FrameType.Link.CLUSTER};

    @BeforeContainer
    static void allocationCounterWorks() {
        assertThat(Allocation.supported()).as("per-thread allocation counter").isTrue();
        assertThat(Allocation.of(() -> Arrays.fill(new byte[100_000], (byte) 1))).isGreaterThanOrEqualTo(100_000);
    }

    @Provide
    Arbitrary<Frame> frames() {
        return FrameArbitraries.frames();
    }

    @Provide
    Arbitrary<Frame> clusterFrames() {
        return FrameArbitraries.clusterFrames();
    }

    @Provide
    Arbitrary<List<Frame>> frameLists() {
        return FrameArbitraries.frames().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<FrameType.Link> links() {
        return Arbitraries.of(LINKS);
    }

    // ---- valid frames

    @Property(tries = 300)
    void validFramesRoundTripOnTheirLink(@ForAll("frames") Frame frame) throws ProtocolException {
        byte[] encoded = Wire.encode(frame);
        Frame decoded = Wire.decode(encoded, Wire.linkOf(frame.type()));
        assertThat(decoded).isEqualTo(frame);
        assertThat(Wire.encode(decoded)).isEqualTo(encoded);
    }

    @Property(tries = 300)
    void clusterFramesAreRefusedOnControlStreamsAndControlFramesOnTheClusterLink(@ForAll("frames") Frame frame) {
        FrameType.Link own = Wire.linkOf(frame.type());
        for (FrameType.Link other : LINKS) {
            if (!frame.type().link().allows(other)) {
                assertThatThrownBy(() -> Wire.decode(Wire.encode(frame), other))
                        .isInstanceOf(ProtocolException.class).hasMessageContaining("not allowed");
            }
        }
        assertThat(own).isNotNull();
    }

    // ---- truncated

    @Property(tries = 200)
    void aCutFrameWaitsForMoreAndItsCutBodyIsRefused(@ForAll("frames") Frame frame, @ForAll double where) {
        byte[] encoded = Wire.encode(frame);
        int cut = (int) (Math.abs(where) % 1.0 * encoded.length); // [0, length)
        byte[] prefix = Arrays.copyOf(encoded, cut);
        ByteBuffer in = ByteBuffer.wrap(prefix);
        FrameType.Link link = Wire.linkOf(frame.type());
        assertThat(decodeNext(in, link)).as("%d of %d bytes", cut, encoded.length).isNull();
        assertThat(in.position()).as("nothing consumed").isZero();
        if (cut > FrameCodec.LENGTH_FIELD_BYTES) {
            byte[] body = Arrays.copyOfRange(encoded, FrameCodec.LENGTH_FIELD_BYTES, cut);
            assertThatThrownBy(() -> Wire.decodeBody(body, link)).isInstanceOf(ProtocolException.class);
        }
    }

    // ---- oversized

    @Property(tries = 1000)
    void aLengthOutsideTheLimitIsRefusedFromItsFourBytesAlone(@ForAll int length, @ForAll("links") FrameType.Link link) {
        Assume.that(length < 1 || length > FrameCodec.MAX_FRAME_LENGTH);
        ByteBuffer prefix = ByteBuffer.allocate(4).putInt(length).flip();
        long allocated = Allocation.of(() -> FrameCodec.decodeNext(prefix.duplicate(), link));
        assertThatThrownBy(() -> FrameCodec.decodeNext(prefix, link)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("frame length");
        assertThat(allocated).isLessThan(ALLOCATION_SLACK);
    }

    @Property(tries = 1000)
    void aFrameAnnouncingTheMaximumLengthIsNotBufferedUntilItIsComplete(
            @ForAll @IntRange(min = 1, max = FrameCodec.MAX_FRAME_LENGTH) int length,
            @ForAll @Size(max = 256) byte[] someOfIt, @ForAll("links") FrameType.Link link) {
        Assume.that(someOfIt.length < length);
        ByteBuffer in = ByteBuffer.allocate(4 + someOfIt.length).putInt(length).put(someOfIt).flip();
        long allocated = Allocation.of(() -> assertThat(FrameCodec.decodeNext(in.duplicate(), link)).isNull());
        assertThat(in.position()).isZero();
        assertThat(allocated).isLessThan(ALLOCATION_SLACK);
    }

    @Property(tries = 300)
    void lengthFieldsInsideABodyNeverAllocateBeyondTheBody(@ForAll("frames") Frame frame, @ForAll int hostileLength,
                                                           @ForAll @IntRange(min = 0, max = 40) int at) {
        // a u16 or u32 length field claiming far more than the frame holds: refused before allocating
        byte[] body = Wire.withoutLength(Wire.encode(frame));
        Assume.that(body.length > 5);
        int pos = 1 + at % (body.length - 4);
        ByteBuffer.wrap(body).putInt(pos, hostileLength);
        FrameType.Link link = Wire.linkOf(frame.type());
        long allocated = Allocation.of(() -> decodeOrProtocolError(body, link));
        assertThat(allocated).as("allocated for a %d-byte body", body.length)
                .isLessThan(8L * body.length + ALLOCATION_SLACK);
    }

    // ---- random and mutated

    @Property(tries = 5000)
    void randomBytesGiveAFrameNullOrAProtocolException(@ForAll @Size(max = 300) byte[] bytes,
                                                        @ForAll boolean plausibleHeader,
                                                        @ForAll("links") FrameType.Link link) {
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
    }

    @Property(tries = 300)
    void mutatedFramesDecodeCanonicallyOrAreRefused(@ForAll("frames") Frame frame, @ForAll long seed) {
        byte[] body = FrameFuzzTest.mutate(Wire.withoutLength(Wire.encode(frame)), new java.util.Random(seed));
        for (FrameType.Link link : LINKS) {
            Frame decoded = decodeOrProtocolError(body, link);
            if (decoded != null) {
                assertThat(Wire.withoutLength(Wire.encode(decoded))).isEqualTo(body);
            }
        }
    }

    // ---- wrong type

    @Property(tries = 1000)
    void aBodyUnderAnotherTypeByteDecodesCanonicallyOrIsRefused(@ForAll("frames") Frame frame,
                                                               @ForAll byte otherType) {
        byte[] body = Wire.withoutLength(Wire.encode(frame));
        Assume.that(otherType != body[0]);
        body[0] = otherType;
        for (FrameType.Link link : LINKS) {
            Frame decoded = decodeOrProtocolError(body, link);
            if (decoded != null) {
                assertThat(decoded.type().wireValue()).isEqualTo(otherType & 0xFF);
                assertThat(Wire.withoutLength(Wire.encode(decoded))).isEqualTo(body);
            }
        }
    }

    // ---- wrong order / streams of frames

    @Property(tries = 100)
    void aStreamOfFramesInAnyOrderDecodesFrameByFrameUntilTheFirstBadOne(
            @ForAll("frameLists") List<Frame> frames, @ForAll @Size(max = 40) byte[] garbage,
            @ForAll("links") FrameType.Link link) {
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

    @Property(tries = 300)
    void clusterLinkFramesSurviveMutationAndCutsCleanly(@ForAll("clusterFrames") Frame frame, @ForAll long seed) {
        byte[] body = Wire.withoutLength(Wire.encode(frame));
        java.util.Random random = new java.util.Random(seed);
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
