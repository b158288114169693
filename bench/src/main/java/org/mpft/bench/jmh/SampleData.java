package org.mpft.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Reproducible sample chunks for the compression benchmarks: text-like (log lines with timestamps, levels,
 * words from a small vocabulary and numbers, the kind of file admins move around: logs, CSV, source) and
 * random (stands for media and archives).
 */
public final class SampleData {

    private static final String[] WORDS = {"transfer", "chunk", "server", "client", "download", "request",
        "session", "primary", "secondary", "path", "bytes", "window", "ack", "timeout", "retry", "user", "file",
        "the", "of", "to", "and", "a", "in", "is", "for", "on", "with", "from", "at", "by", "data", "value",
        "error", "warning", "info", "debug", "connection", "stream", "checksum", "cache"};
    private static final String[] LEVELS = {"INFO", "DEBUG", "WARN", "INFO", "INFO", "ERROR"};

    private SampleData() {
    }

    /** {@code size} bytes of log-like text, the same for the same seed. */
    public static byte[] textLike(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size + 256);
        long millis = 1_764_000_000_000L;
        while (text.length() < size) {
            millis += random.nextInt(50);
            text.append(millis).append(' ').append(LEVELS[random.nextInt(LEVELS.length)]).append(" [mpft-io-")
                    .append(random.nextInt(4)).append("] ");
            int words = 4 + random.nextInt(12);
            for (int w = 0; w < words; w++) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            text.append("id=").append(Long.toHexString(random.nextLong() & 0xFFFFFFL)).append(" n=")
                    .append(random.nextInt(100_000)).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(bytes, size);
    }

    /** {@code size} random bytes, the same for the same seed. */
    public static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
