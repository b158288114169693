package org.mpft.plugin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mpft.api.ChannelStartException;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Strategy;

/**
 * The plugin's settings: every {@code mpft.*} key of the host's configuration, typed, with its default
 * and unit, parsed and validated once at start. Keys that do not start with {@code mpft.} belong to
 * others and are ignored; an unknown {@code mpft.*} key or a malformed value fails the start with a
 * message naming the key.
 *
 * <p>Sizes accept a {@code k}, {@code m}, {@code g} or {@code t} suffix (binary: 1k = 1024 bytes);
 * durations accept {@code ms}, {@code s}, {@code m} or {@code h} (a bare number is seconds).
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@value #BIND}</td><td>127.0.0.1</td><td>the address the UDP listener binds</td></tr>
 * <tr><td>{@value #PORT}</td><td>7300</td><td>the UDP port; 0 = an ephemeral port (logged)</td></tr>
 * <tr><td>{@value #ROLE}</td><td>primary</td><td>this instance's role (only {@code primary} so far)</td></tr>
 * <tr><td>{@value #NAME}</td><td>mpft</td><td>the instance's name, sent to clients for their progress lines</td></tr>
 * <tr><td>{@value #CHUNK_SIZE}</td><td>4m</td><td>bytes per chunk, 4k to 64m</td></tr>
 * <tr><td>{@value #MAX_FILE_SIZE}</td><td>1t</td><td>the largest file served, bytes</td></tr>
 * <tr><td>{@value #WINDOW}</td><td>8</td><td>chunks in flight per path (read, sending or awaiting the client's ACK), 1 to 256</td></tr>
 * <tr><td>{@value #CHECKSUM}</td><td>sha256</td><td>per-chunk checksum: {@code sha256} or {@code crc32c}</td></tr>
 * <tr><td>{@value #STRATEGY}</td><td>alternate</td><td>how chunks are spread over paths when the client does not choose: {@code alternate} or {@code adaptive}</td></tr>
 * <tr><td>{@value #IDLE_TIMEOUT}</td><td>30s</td><td>a connection silent this long is closed</td></tr>
 * <tr><td>{@value #MAX_SESSIONS}</td><td>64</td><td>concurrent client connections; more are refused with LIMIT_EXCEEDED</td></tr>
 * <tr><td>{@value #IO_THREADS}</td><td>2</td><td>threads reading and hashing chunks and calling the host (logins, opening files)</td></tr>
 * <tr><td>{@value #AUTH_FAILURE_DELAY}</td><td>500ms</td><td>how long a failed login waits before its answer (slows guessing)</td></tr>
 * </table>
 */
final class MpftSettings {

    static final String PREFIX = "mpft.";
    static final String BIND = "mpft.bind";
    static final String PORT = "mpft.port";
    static final String ROLE = "mpft.role";
    static final String NAME = "mpft.name";
    static final String CHUNK_SIZE = "mpft.chunk-size";
    static final String MAX_FILE_SIZE = "mpft.max-file-size";
    static final String WINDOW = "mpft.window";
    static final String CHECKSUM = "mpft.checksum";
    static final String STRATEGY = "mpft.strategy";
    static final String IDLE_TIMEOUT = "mpft.idle-timeout";
    static final String MAX_SESSIONS = "mpft.max-sessions";
    static final String IO_THREADS = "mpft.io-threads";
    static final String AUTH_FAILURE_DELAY = "mpft.auth-failure-delay";

    /** Every key with its default, in documentation order. */
    static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(BIND, "127.0.0.1");
        d.put(PORT, "7300");
        d.put(ROLE, "primary");
        d.put(NAME, "mpft");
        d.put(CHUNK_SIZE, "4m");
        d.put(MAX_FILE_SIZE, "1t");
        d.put(WINDOW, "8");
        d.put(CHECKSUM, "sha256");
        d.put(STRATEGY, "alternate");
        d.put(IDLE_TIMEOUT, "30s");
        d.put(MAX_SESSIONS, "64");
        d.put(IO_THREADS, "2");
        d.put(AUTH_FAILURE_DELAY, "500ms");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

    private final InetAddress bind;
    private final int port;
    private final String name;
    private final int chunkSize;
    private final long maxFileSize;
    private final int window;
    private final ChecksumAlgorithm checksum;
    private final Strategy strategy;
    private final Duration idleTimeout;
    private final int maxSessions;
    private final int ioThreads;
    private final Duration authFailureDelay;

    private MpftSettings(Map<String, String> values) throws ChannelStartException {
        bind = address(values, BIND);
        port = (int) integer(values, PORT, 0, 65535);
        if (!"primary".equals(values.get(ROLE).trim().toLowerCase(Locale.ROOT))) {
            throw bad(ROLE, values.get(ROLE), "expected primary (secondaries are not supported by this version)");
        }
        name = values.get(NAME).trim();
        if (name.isEmpty() || name.length() > 64 || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw bad(NAME, values.get(NAME), "expected 1 to 64 printable ASCII characters without spaces");
        }
        chunkSize = (int) size(values, CHUNK_SIZE, ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MAX_CHUNK_SIZE);
        maxFileSize = size(values, MAX_FILE_SIZE, 0, Long.MAX_VALUE);
        window = (int) integer(values, WINDOW, 1, 256);
        checksum = switch (values.get(CHECKSUM).trim().toLowerCase(Locale.ROOT)) {
            case "sha256", "sha-256" -> ChecksumAlgorithm.SHA256;
            case "crc32c" -> ChecksumAlgorithm.CRC32C;
            default -> throw bad(CHECKSUM, values.get(CHECKSUM), "expected sha256 or crc32c");
        };
        try {
            strategy = Strategy.fromSetting(values.get(STRATEGY));
        } catch (IllegalArgumentException e) {
            throw bad(STRATEGY, values.get(STRATEGY), "expected alternate or adaptive");
        }
        idleTimeout = duration(values, IDLE_TIMEOUT, Duration.ofSeconds(1), Duration.ofHours(1));
        maxSessions = (int) integer(values, MAX_SESSIONS, 1, 100_000);
        ioThreads = (int) integer(values, IO_THREADS, 1, 64);
        authFailureDelay = duration(values, AUTH_FAILURE_DELAY, Duration.ZERO, Duration.ofSeconds(30));
    }

    /**
     * Reads the settings from the host's configuration.
     *
     * @param configuration every key the host read; keys not starting with {@code mpft.} are ignored
     * @throws ChannelStartException naming the first unknown or malformed {@code mpft.*} key
     */
    static MpftSettings parse(Map<String, String> configuration) throws ChannelStartException {
        Objects.requireNonNull(configuration, "configuration");
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (String key : new TreeSet<>(configuration.keySet())) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            if (!DEFAULTS.containsKey(key)) {
                throw new ChannelStartException("unknown setting " + key + " (known: "
                        + String.join(", ", DEFAULTS.keySet()) + ")");
            }
            String value = configuration.get(key);
            if (value == null || value.isBlank()) {
                throw bad(key, value, "empty value");
            }
            values.put(key, value);
        }
        return new MpftSettings(values);
    }

    /** The address the listener binds. */
    InetAddress bind() {
        return bind;
    }

    /** The UDP port; 0 for an ephemeral one. */
    int port() {
        return port;
    }

    /** The instance's name, for clients' progress lines and the log. */
    String name() {
        return name;
    }

    /** Bytes per chunk. */
    int chunkSize() {
        return chunkSize;
    }

    /** The largest file served, bytes. */
    long maxFileSize() {
        return maxFileSize;
    }

    /** Chunks in flight per path. */
    int window() {
        return window;
    }

    /** How every chunk is checked. */
    ChecksumAlgorithm checksum() {
        return checksum;
    }

    /** The strategy when the client leaves the choice to the server. */
    Strategy strategy() {
        return strategy;
    }

    /** How long a silent connection lives. */
    Duration idleTimeout() {
        return idleTimeout;
    }

    /** Concurrent client connections. */
    int maxSessions() {
        return maxSessions;
    }

    /** Threads for chunk reads and host calls. */
    int ioThreads() {
        return ioThreads;
    }

    /** The pause before a failed login is answered. */
    Duration authFailureDelay() {
        return authFailureDelay;
    }

    private static ChannelStartException bad(String key, String value, String expected) {
        return new ChannelStartException("invalid setting " + key + "=" + value + ": " + expected);
    }

    private static InetAddress address(Map<String, String> values, String key) throws ChannelStartException {
        String value = values.get(key).trim();
        if (!value.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
            throw bad(key, value, "expected an IP address or host name");
        }
        try {
            return InetAddress.getByName(value.startsWith("[") && value.endsWith("]")
                    ? value.substring(1, value.length() - 1) : value);
        } catch (UnknownHostException e) {
            throw bad(key, value, "unknown host");
        }
    }

    private static long integer(Map<String, String> values, String key, long min, long max)
            throws ChannelStartException {
        String value = values.get(key).trim();
        try {
            long n = Long.parseLong(value);
            if (n < min || n > max) {
                throw bad(key, value, "expected a number from " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, value, "expected a number from " + min + " to " + max);
        }
    }

    /** Parses {@code 4096}, {@code 4k}, {@code 4m}, {@code 1g}, {@code 1t} (binary units; {@code 4MiB} too). */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 40;
        };
        long n = Long.parseLong(m.group(1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        return n << shift;
    }

    private static long size(Map<String, String> values, String key, long min, long max) throws ChannelStartException {
        String value = values.get(key);
        String range = "expected a size from " + min + " to " + max + " bytes (suffix k, m, g or t allowed)";
        long n;
        try {
            n = parseSize(value);
        } catch (IllegalArgumentException e) {
            throw bad(key, value, range);
        }
        if (n < min || n > max) {
            throw bad(key, value, range);
        }
        return n;
    }

    private static Duration duration(Map<String, String> values, String key, Duration min, Duration max)
            throws ChannelStartException {
        String value = values.get(key);
        String range = "expected a duration from " + min.toMillis() + "ms to " + max.toSeconds()
                + "s (suffix ms, s, m or h)";
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw bad(key, value, range);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw bad(key, value, range);
        }
        return d;
    }

    @Override
    public String toString() {
        return "MpftSettings[bind=" + bind.getHostAddress() + ", port=" + port + ", name=" + name + ", chunkSize="
                + chunkSize + ", maxFileSize=" + maxFileSize + ", window=" + window + ", checksum=" + checksum
                + ", strategy=" + strategy.settingName() + ", idleTimeout=" + idleTimeout + ", maxSessions="
                + maxSessions + ", ioThreads=" + ioThreads + ", authFailureDelay=" + authFailureDelay + "]";
    }
}
