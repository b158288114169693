package org.mpft.protocol;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators for valid frames of every kind and for valid chunk headers. Frames are built from the
 * {@link GoldenFrames} of each kind by replacing any of its record components with a random value of
 * that component's type (edge values included); a combination the constructor or the encoder refuses is
 * dropped, so what comes out is exactly the set of frames the encoder accepts.
 */
final class FrameArbitraries {

    private FrameArbitraries() {
    }

    /** Valid frames of every kind, control and cluster link alike. */
    static Arbitrary<Frame> frames() {
        return Arbitraries.of(GoldenFrames.all()).flatMap(golden -> variantsOf(golden.frame()));
    }

    /** Valid frames of the cluster link only (primary <-> secondary). */
    static Arbitrary<Frame> clusterFrames() {
        return Arbitraries.of(GoldenFrames.all().stream()
                        .filter(g -> g.type().link() == FrameType.Link.CLUSTER).toList())
                .flatMap(golden -> variantsOf(golden.frame()));
    }

    /** Valid frames of one record's kind: each component the golden value or a random one. */
    static Arbitrary<Frame> variantsOf(Frame golden) {
        Class<?> type = golden.getClass();
        RecordComponent[] components = type.getRecordComponents();
        List<Arbitrary<Object>> parts = new ArrayList<>();
        for (RecordComponent component : components) {
            Object value = read(component, golden);
            parts.add(Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(1, Arbitraries.just(value)),
                    net.jqwik.api.Tuple.of(2, valuesOf(component.getGenericType()))));
        }
        return Combinators.combine(parts).as(values -> construct(type, components, values))
                .filter(Objects::nonNull)
                .map(Frame.class::cast);
    }

    /** Valid chunk headers: every field random within the header's own rules. */
    static Arbitrary<ChunkHeader> chunkHeaders() {
        Arbitrary<Long> transferId = Arbitraries.longs();
        Arbitrary<Integer> chunk = Arbitraries.integers().greaterOrEqual(0);
        Arbitrary<Long> offset = Arbitraries.longs().greaterOrEqual(0);
        Arbitrary<Integer> length = Arbitraries.integers().between(0, ChunkPlan.MAX_CHUNK_SIZE);
        Arbitrary<Encoding> encoding = Arbitraries.of(Encoding.class);
        Arbitrary<Integer> deflated = Arbitraries.integers().between(0, ChunkHeader.MAX_PAYLOAD_LENGTH);
        Arbitrary<ChecksumAlgorithm> algorithm = Arbitraries.of(ChecksumAlgorithm.class);
        Arbitrary<byte[]> checksumSeed = Arbitraries.bytes().array(byte[].class).ofSize(32);
        return Combinators.combine(transferId, chunk, offset, length, encoding, deflated, algorithm, checksumSeed)
                .as((id, c, off, len, enc, defl, alg, seed) -> new ChunkHeader(id, c, off, len, enc,
                        enc == Encoding.RAW ? len : defl, alg,
                        Bytes.of(java.util.Arrays.copyOf(seed, alg.length()))));
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<Object> valuesOf(Type type) {
        if (type == long.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.longs();
        }
        if (type == int.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.oneOf(Arbitraries.integers(),
                    Arbitraries.integers().between(-2, 70_000));
        }
        if (type == String.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.oneOf(
                    Arbitraries.strings().ofMaxLength(40),
                    Arbitraries.strings().all().ofMaxLength(12),
                    // near the 8192-byte string limit, built cheaply (jqwik's own long strings shrink slowly)
                    Arbitraries.integers().between(8150, 8250).map("s"::repeat));
        }
        if (type == Bytes.class) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.oneOf(
                            Arbitraries.bytes().array(byte[].class).ofMaxSize(80),
                            Arbitraries.bytes().array(byte[].class).ofSize(32),
                            Arbitraries.integers().between(4090, 4100).map(byte[]::new))
                    .map(Bytes::of);
        }
        if (type instanceof Class<?> c && c.isEnum()) {
            return (Arbitrary<Object>) (Arbitrary<?>) Arbitraries.of(c.getEnumConstants());
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == SecondaryEndpoint.class) {
            Arbitrary<SecondaryEndpoint> endpoint = Combinators.combine(
                    Arbitraries.strings().ofMaxLength(20), Arbitraries.strings().ofMaxLength(40),
                    Arbitraries.integers().between(-1, 70_000),
                    Arbitraries.bytes().array(byte[].class).ofMaxSize(70),
                    Arbitraries.bytes().array(byte[].class).ofMaxSize(200))
                    .as((name, host, port, sha, ticket) -> {
                        try {
                            return new SecondaryEndpoint(name, host, port, Bytes.of(sha), Bytes.of(ticket));
                        } catch (IllegalArgumentException | NullPointerException e) {
                            return null;
                        }
                    }).filter(Objects::nonNull);
            return (Arbitrary<Object>) (Arbitrary<?>) endpoint.list().ofMaxSize(4);
        }
        throw new IllegalStateException("no generator for " + type);
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record, or null when its constructor or the encoder refuses the values. */
    private static Object construct(Class<?> type, RecordComponent[] components, List<Object> values) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            Frame frame = (Frame) constructor.newInstance(values.toArray());
            FrameCodec.encode(frame); // the encoder refuses what the decoder would refuse
            return frame;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException || e.getCause() instanceof NullPointerException) {
                return null;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalArgumentException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
