package org.mpft.protocol;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;

/**
 * Seeded generators for valid frames of every kind and for valid chunk headers. Frames are built from the
 * {@link GoldenFrames} of each kind by replacing any of its record components with a random value of
 * that component's type (edge values included: empty, longest and over-the-limit strings and byte
 * arrays, the int and long bounds); a combination the constructor or the encoder refuses is drawn again,
 * so what comes out is exactly the set of frames the encoder accepts.
 */
final class FrameGenerators {

    /** Draws of one frame before giving up: the encoder refuses most over-the-limit values. */
    private static final int MAX_ATTEMPTS = 10_000;

    private FrameGenerators() {
    }

    /** A valid frame of any kind, control and cluster link alike. */
    static Frame frame(Seeded.Sample sample) {
        return sample.note("frame", variantOf(sample, sample.of(GoldenFrames.all()).frame()));
    }

    /** A valid frame of the cluster link only (primary <-> secondary). */
    static Frame clusterFrame(Seeded.Sample sample) {
        List<GoldenFrames.Golden> cluster = GoldenFrames.all().stream()
                .filter(g -> g.type().link() == FrameType.Link.CLUSTER).toList();
        return sample.note("frame", variantOf(sample, sample.of(cluster).frame()));
    }

    /** A valid frame of one record's kind: each component the golden value (1 in 3) or a random one. */
    static Frame variantOf(Seeded.Sample sample, Frame golden) {
        Class<?> type = golden.getClass();
        RecordComponent[] components = type.getRecordComponents();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = sample.random().nextInt(3) == 0
                        ? read(components[i], golden) : valueOf(sample, components[i].getGenericType());
            }
            Frame frame = construct(type, components, values);
            if (frame != null) {
                return frame;
            }
        }
        throw new IllegalStateException("no valid " + type.getSimpleName() + " in " + MAX_ATTEMPTS + " draws");
    }

    /** A valid chunk header: every field random within the header's own rules. */
    static ChunkHeader chunkHeader(Seeded.Sample sample) {
        long transferId = sample.longs();
        int chunk = sample.ints(0, Integer.MAX_VALUE);
        long offset = sample.longs(0, Long.MAX_VALUE);
        int length = sample.ints(0, ChunkPlan.MAX_CHUNK_SIZE);
        Encoding encoding = sample.of(Encoding.values());
        int deflated = sample.ints(0, ChunkHeader.MAX_PAYLOAD_LENGTH);
        ChecksumAlgorithm algorithm = sample.of(ChecksumAlgorithm.values());
        byte[] checksumSeed = sample.byteArray(32, 32);
        return sample.note("header", new ChunkHeader(transferId, chunk, offset, length, encoding,
                encoding == Encoding.RAW ? length : deflated, algorithm,
                Bytes.of(Arrays.copyOf(checksumSeed, algorithm.length()))));
    }

    private static Object valueOf(Seeded.Sample sample, Type type) {
        if (type == long.class) {
            return sample.longs();
        }
        if (type == int.class) {
            return sample.random().nextBoolean() ? sample.ints() : sample.ints(-2, 70_000);
        }
        if (type == String.class) {
            return switch (sample.random().nextInt(3)) {
                case 0 -> sample.strings(40, false);
                case 1 -> sample.strings(12, true);
                // around the 8192-byte string limit, built cheaply
                default -> "s".repeat(sample.of(8150, 8191, 8192, 8193, sample.ints(8150, 8250), 8250));
            };
        }
        if (type == Bytes.class) {
            return Bytes.of(switch (sample.random().nextInt(3)) {
                case 0 -> sample.byteArray(0, 80);
                case 1 -> sample.byteArray(32, 32);
                // around the 4096-byte limit of the u16-prefixed fields
                default -> new byte[sample.of(4090, 4095, 4096, 4097, sample.ints(4090, 4100), 4100)];
            });
        }
        if (type instanceof Class<?> c && c.isEnum()) {
            return sample.of(c.getEnumConstants());
        }
        if (type == boolean.class) {
            return sample.random().nextBoolean();
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == ListingEntry.class) {
            return sample.list(5, FrameGenerators::listingEntry);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == SecondaryEndpoint.class) {
            return sample.list(4, FrameGenerators::endpoint);
        }
        throw new IllegalStateException("no generator for " + type);
    }

    private static SecondaryEndpoint endpoint(Seeded.Sample sample) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                return new SecondaryEndpoint(sample.strings(20, false), sample.strings(40, false),
                        sample.ints(-1, 70_000), Bytes.of(sample.byteArray(0, 70)), Bytes.of(sample.byteArray(0, 200)));
            } catch (IllegalArgumentException | NullPointerException e) {
                // refused by the record: draw again
            }
        }
        throw new IllegalStateException("no valid SecondaryEndpoint in " + MAX_ATTEMPTS + " draws");
    }

    private static ListingEntry listingEntry(Seeded.Sample sample) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                return new ListingEntry(sample.strings(20, false), sample.of(ListingEntry.Type.values()),
                        sample.longs(), sample.longs(), sample.ints(-1, ListingEntry.MAX_PERMISSIONS));
            } catch (IllegalArgumentException | NullPointerException e) {
                // refused by the record: draw again
            }
        }
        throw new IllegalStateException("no valid ListingEntry in " + MAX_ATTEMPTS + " draws");
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record, or null when its constructor or the encoder refuses the values. */
    private static Frame construct(Class<?> type, RecordComponent[] components, Object[] values) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            Frame frame = (Frame) constructor.newInstance(values);
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
