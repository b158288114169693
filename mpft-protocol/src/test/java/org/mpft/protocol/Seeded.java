package org.mpft.protocol;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded property checks for JUnit 5 tests: a property runs over N cases, each drawing its values from a
 * {@link Sample} seeded by the property's name and the case's number, so that every build checks the same
 * cases and a failure can be replayed alone.
 *
 * <p>The first {@link #edgeCases(int) cases} of every property draw only edge values (each generator's
 * bounds, 0, ±1, empty and longest arrays, first and last choices); the rest draw uniformly with an edge
 * value one time in {@value #EDGE_ONE_IN}. A failure names the property, the case, its seed and every value
 * drawn, and how to replay it:
 * {@code mvn -pl mpft-protocol test -Dtest=Class#method -Dmpft.seed=0x...} runs that one case of the
 * property. {@code -Dmpft.seed.base=N} draws a different set of cases (to explore; the default set is
 * fixed so that the build is deterministic).
 */
final class Seeded {

    /** Replays one case: its seed, as printed by a failure (hex with {@code 0x}, or decimal). */
    static final String SEED_PROPERTY = "mpft.seed";

    /** Chooses another set of cases for every property (default: a fixed set). */
    static final String BASE_SEED_PROPERTY = "mpft.seed.base";

    /** Outside the edge cases, one draw in this many is an edge value. */
    static final int EDGE_ONE_IN = 16;

    /** How many discarded cases ({@link Sample#assume}) a property may have, as a multiple of its tries. */
    private static final int MAX_DISCARD_RATIO = 5;

    private static final long DEFAULT_BASE_SEED = 0x6d7066745f736565L;

    private Seeded() {
    }

    /** One case of a property: draws its values from the sample and asserts. */
    @FunctionalInterface
    interface Case {
        /**
         * @param sample the values of this case
         * @throws Exception a failure of the property
         */
        void check(Sample sample) throws Exception;
    }

    /**
     * Runs a property over {@code tries} cases that are not discarded (the property's name is the calling
     * test method); fails with the first failing case, its seed and the values it drew.
     *
     * @param tries cases to check
     * @param property the property
     */
    static void check(int tries, Case property) {
        StackWalker.StackFrame caller = StackWalker.getInstance()
                .walk(frames -> frames.skip(1).findFirst().orElseThrow());
        String name = caller.getClassName().substring(caller.getClassName().lastIndexOf('.') + 1)
                + "#" + caller.getMethodName();
        String replay = System.getProperty(SEED_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            runCase(name, -1, parseSeed(replay.trim()), false, property);
            return;
        }
        String baseProperty = System.getProperty(BASE_SEED_PROPERTY);
        long base = baseProperty == null || baseProperty.isBlank() ? DEFAULT_BASE_SEED : parseSeed(baseProperty.trim());
        int edges = edgeCases(tries);
        int checked = 0;
        int discarded = 0;
        for (int index = 0; checked < tries; index++) {
            try {
                runCase(name, index, seedOf(base, name, index), index < edges, property);
                checked++;
            } catch (Discarded d) {
                discarded++;
                if (discarded > MAX_DISCARD_RATIO * tries) {
                    throw new AssertionError(name + ": " + discarded + " cases discarded for " + checked
                            + " checked; the generators miss the assumption: " + d.getMessage());
                }
            }
        }
    }

    /** How many of a property's first cases draw only edge values: a fifth of them, 4 to 64. */
    static int edgeCases(int tries) {
        return Math.max(Math.min(4, tries), Math.min(64, tries / 5));
    }

    private static void runCase(String name, int index, long seed, boolean edgesOnly, Case property) {
        Sample sample = new Sample(seed, edgesOnly);
        try {
            property.check(sample);
        } catch (Discarded d) {
            throw d;
        } catch (Exception | AssertionError e) {
            String seedText = "0x" + Long.toHexString(seed);
            String replay = "-Dtest=" + name + " -D" + SEED_PROPERTY + "=" + seedText;
            throw new AssertionError(name + " failed on case " + (index < 0 ? "(replayed)" : index)
                    + " seed " + seedText + (edgesOnly ? " (edge values)" : "") + "; replay with " + replay
                    + "\n  drawn: " + sample.drawn() + "\n  " + e, e);
        }
    }

    static long seedOf(long base, String name, int index) {
        long z = base ^ (name.hashCode() * 0x9E3779B97F4A7C15L) ^ (index * 0xBF58476D1CE4E5B9L);
        // splitmix64 finaliser: neighbouring indexes give unrelated seeds
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long parseSeed(String text) {
        return text.startsWith("0x") || text.startsWith("0X")
                ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
    }

    /** Thrown by {@link Sample#assume} to drop a case that does not meet a property's premise. */
    static final class Discarded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Discarded(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * The values of one case: every draw comes from the case's seed and is recorded for the failure
     * message. Each draw names its range; its edge values are the range's ends and the small values
     * inside it.
     */
    static final class Sample {

        private static final int LOG_LIMIT = 4000;
        private static final byte[] EDGE_BYTES = {0, 1, -1, Byte.MAX_VALUE, Byte.MIN_VALUE};

        private final Random random;
        private final boolean edgesOnly;
        private final StringBuilder log = new StringBuilder();

        Sample(long seed, boolean edgesOnly) {
            this.random = new Random(seed);
            this.edgesOnly = edgesOnly;
        }

        /** The case's own random source, for choices that need no edge values (recorded by the seed only). */
        Random random() {
            return random;
        }

        /** Drops this case unless {@code premise} holds (it does not count as a try). */
        void assume(boolean premise, String what) {
            if (!premise) {
                throw new Discarded(what);
            }
        }

        /** Records a value derived from the draws (e.g. the frame built from them) for the failure message. */
        <T> T note(String what, T value) {
            record(what, String.valueOf(value));
            return value;
        }

        /** An int in {@code [min, max]}; edges: min, min + 1, -1, 0, 1, max - 1, max (those inside). */
        int ints(int min, int max) {
            return (int) longs(min, max);
        }

        /** Any int. */
        int ints() {
            return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        /** A long in {@code [min, max]}; edges: min, min + 1, -1, 0, 1, max - 1, max (those inside). */
        long longs(long min, long max) {
            if (min > max) {
                throw new IllegalArgumentException(min + " > " + max);
            }
            long value;
            if (edge()) {
                List<Long> edges = new ArrayList<>();
                for (long e : new long[] {min, min + 1, -1, 0, 1, max - 1, max}) {
                    if (e >= min && e <= max) {
                        edges.add(e);
                    }
                }
                value = edges.get(random.nextInt(edges.size()));
            } else if (max - min + 1 <= 0) { // the range spans more than half of all longs
                do {
                    value = random.nextLong();
                } while (value < min || value > max);
            } else {
                value = min + Math.floorMod(random.nextLong(), max - min + 1);
            }
            record("[" + min + "," + max + "]", Long.toString(value));
            return value;
        }

        /** Any long. */
        long longs() {
            return longs(Long.MIN_VALUE, Long.MAX_VALUE);
        }

        /** true or false. */
        boolean booleans() {
            boolean value = random.nextBoolean();
            record("boolean", Boolean.toString(value));
            return value;
        }

        /** Any byte; edges: 0, 1, -1, 127, -128. */
        byte bytes() {
            byte value = edge() ? EDGE_BYTES[random.nextInt(EDGE_BYTES.length)] : (byte) random.nextInt();
            record("byte", Byte.toString(value));
            return value;
        }

        /** A fraction in {@code [0, 1)}; edges: 0 and the largest double below 1. */
        double fraction() {
            double value = edge() ? (random.nextBoolean() ? 0.0 : Math.nextDown(1.0)) : random.nextDouble();
            record("fraction", Double.toString(value));
            return value;
        }

        /**
         * A byte array of {@code minSize} to {@code maxSize} bytes (edges: the shortest and the longest),
         * each byte random or, one in {@value #EDGE_ONE_IN}, an edge byte.
         */
        byte[] byteArray(int minSize, int maxSize) {
            int size = ints(minSize, maxSize);
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            for (int i = 0; i < size; i++) {
                if (random.nextInt(EDGE_ONE_IN) == 0) {
                    bytes[i] = EDGE_BYTES[random.nextInt(EDGE_BYTES.length)];
                }
            }
            record("bytes", size <= 48 ? HexFormat.of().formatHex(bytes)
                    : HexFormat.of().formatHex(bytes, 0, 48) + "...(" + size + ")");
            return bytes;
        }

        /** One of the values; edges: the first and the last. */
        @SafeVarargs
        final <T> T of(T... values) {
            return of(List.of(values));
        }

        /** One of the values; edges: the first and the last. */
        <T> T of(List<T> values) {
            int i = edge() ? (random.nextBoolean() ? 0 : values.size() - 1) : random.nextInt(values.size());
            T value = values.get(i);
            record("of" + values.size(), String.valueOf(value));
            return value;
        }

        /**
         * A string of 0 to {@code maxLength} chars (edges: empty and the longest) from ASCII, Latin-1,
         * the rest of the BMP and supplementary code points; with {@code anyChar} every char, lone
         * surrogates and controls included.
         */
        String strings(int maxLength, boolean anyChar) {
            int length = ints(0, maxLength);
            StringBuilder s = new StringBuilder(length);
            while (s.length() < length) {
                if (anyChar) {
                    s.append((char) random.nextInt(Character.MAX_VALUE + 1));
                    continue;
                }
                int cp = switch (random.nextInt(4)) {
                    case 0 -> 0x20 + random.nextInt(0x5F);
                    case 1 -> 0xA0 + random.nextInt(0x60);
                    case 2 -> 0x100 + random.nextInt(Character.MIN_SURROGATE - 0x100);
                    default -> length - s.length() >= 2
                            ? Character.MIN_SUPPLEMENTARY_CODE_POINT + random.nextInt(0x20000) : 'x';
                };
                s.appendCodePoint(cp);
            }
            String value = s.toString();
            record("string", value.length() <= 48 ? '"' + value + '"' : "(" + value.length() + " chars)");
            return value;
        }

        /** A list of 0 to {@code maxSize} elements (edges: empty and the longest). */
        <T> List<T> list(int maxSize, Function<Sample, T> element) {
            int size = ints(0, maxSize);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.apply(this));
            }
            return list;
        }

        String drawn() {
            return log.toString();
        }

        private boolean edge() {
            return edgesOnly || random.nextInt(EDGE_ONE_IN) == 0;
        }

        private void record(String what, String value) {
            if (log.length() < LOG_LIMIT) {
                log.append(log.length() == 0 ? "" : ", ").append(what).append('=').append(value);
                if (log.length() >= LOG_LIMIT) {
                    log.setLength(LOG_LIMIT);
                    log.append("...");
                }
            }
        }
    }
}
