package org.mpft.plugin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.mpft.plugin.schedule.ChunkSizePolicy;
import org.mpft.plugin.schedule.ChunkTimeoutPolicy;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mpft.api.ChannelStartException;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Strategy;
import org.mpft.transport.TransportSettings;

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
 * <tr><td>{@value #ROLE}</td><td>primary</td><td>{@code primary} (coordinates downloads, may list secondaries) or
 *     {@code secondary} (serves chunks its primaries assign)</td></tr>
 * <tr><td>{@value #NAME}</td><td>mpft</td><td>the instance's name, sent to clients for their progress lines</td></tr>
 * <tr><td>{@value #CHUNK_SIZE}</td><td>4m</td><td>bytes per chunk, 4k to 64m. Set: every transfer uses it. Not set:
 *     each file version gets a size chosen from its size, the paths and their speed within
 *     {@value #CHUNK_SIZE_MIN} and {@value #CHUNK_SIZE_MAX} ({@link ChunkSizePolicy}), 4m being the aim while
 *     no speed is measured</td></tr>
 * <tr><td>{@value #MAX_FILE_SIZE}</td><td>1t</td><td>the largest file served, bytes</td></tr>
 * <tr><td>{@value #WINDOW}</td><td>8</td><td>chunks in flight per path (read, sending or awaiting the client's ACK), 1 to 256</td></tr>
 * <tr><td>{@value #CHECKSUM}</td><td>sha256</td><td>per-chunk checksum: {@code sha256} or {@code crc32c}</td></tr>
 * <tr><td>{@value #STRATEGY}</td><td>alternate</td><td>how chunks are spread over paths when the client does not choose: {@code alternate} or {@code adaptive}</td></tr>
 * <tr><td>{@value #IDLE_TIMEOUT}</td><td>30s</td><td>a connection silent this long is closed</td></tr>
 * <tr><td>{@value #MAX_SESSIONS}</td><td>64</td><td>concurrent client connections; more are refused with LIMIT_EXCEEDED</td></tr>
 * <tr><td>{@value #IO_THREADS}</td><td>2</td><td>threads reading and hashing chunks and calling the host (logins, opening files)</td></tr>
 * <tr><td>{@value #AUTH_FAILURE_DELAY}</td><td>500ms</td><td>how long a failed login waits before its answer (slows guessing)</td></tr>
 * <tr><td>{@value #SECONDARIES}</td><td>(none)</td><td>primary: the secondaries it drives, {@code host:port,host:port},
 *     each over its own QUIC cluster link</td></tr>
 * <tr><td>{@value #CLUSTER_SECRET_FILE}</td><td>(none)</td><td>the cluster secret shared by a primary and its
 *     secondaries: a file of at least 32 bytes, not readable by others; relative to the plugin's data folder;
 *     required with secondaries or {@code mpft.role=secondary}</td></tr>
 * <tr><td>{@value #ACCEPT_PRIMARIES}</td><td>(none)</td><td>secondary: the addresses of the primaries whose cluster
 *     links it accepts, comma-separated; required for a secondary</td></tr>
 * <tr><td>{@value #ADVERTISE_ADDRESS}</td><td>(bind:port)</td><td>the address clients reach this instance at, {@code host}
 *     or {@code host:port}, when it differs from the one it binds (back-end networks, NAT); a primary puts a
 *     secondary's advertised address in META</td></tr>
 * <tr><td>{@value #MAX_SEND_RATE}</td><td>0</td><td>the most chunk bytes per second this instance sends over all its
 *     connections (suffix k, m, g: binary); 0 = unlimited</td></tr>
 * <tr><td>{@value #MAX_UDP_PAYLOAD}</td><td>auto</td><td>the largest UDP payload this instance sends and receives,
 *     bytes (1200 to 65507): {@code auto} is the loopback interface's MTU minus 48 when bound to a loopback address,
 *     at most 16383 (the largest packet quiche builds; the per-packet cost falls 11-fold), 1452 otherwise; set it
 *     higher only when every path to every client carries such datagrams (jumbo frames)</td></tr>
 * <tr><td>{@value #CHUNK_RETRIES}</td><td>3</td><td>failures of one chunk (NACK, CHUNK_ERROR) tolerated before the
 *     transfer fails; a chunk is repeated once on the same path, then moved to another</td></tr>
 * <tr><td>{@value #CHUNK_TIMEOUT_MIN}</td><td>5s</td><td>the shortest time a secondary may go without delivering a
 *     chunk before its oldest chunk in flight times out (CHUNK_TIMEOUT); the timeout adapts to the path's measured
 *     speed ({@link ChunkTimeoutPolicy}); a path unmeasured yet gets 4 times this</td></tr>
 * <tr><td>{@value #CHUNK_TIMEOUT_FACTOR}</td><td>8</td><td>the timeout is this many times the time one chunk takes at
 *     the path's measured speed, when that is longer than {@value #CHUNK_TIMEOUT_MIN}; 2 to 1000</td></tr>
 * <tr><td>{@value #CHUNK_SIZE_MIN}</td><td>256k</td><td>the smallest chunk size the server chooses, bytes, 4k to 64m;
 *     the chunk size of each transfer is chosen from the file size, the paths and their measured speed
 *     ({@link ChunkSizePolicy}); {@value #CHUNK_SIZE} is the aim while no speed is measured yet</td></tr>
 * <tr><td>{@value #CHUNK_SIZE_MAX}</td><td>16m</td><td>the largest chunk size the server chooses, bytes, 4k to 64m,
 *     at least {@value #CHUNK_SIZE_MIN}</td></tr>
 * <tr><td>{@value #CACHE_MAX_BYTES}</td><td>128m</td><td>the chunk cache's bound, bytes of chunk data held (direct
 *     memory, outside the heap); 0 disables it. A second download of a cached file reads neither disk nor
 *     hashes again</td></tr>
 * <tr><td>{@value #COMPRESSION}</td><td>zstd</td><td>per-chunk compression offered to clients that ask for it
 *     ({@code mpft get --compress}): {@code zstd}, {@code deflate} or {@code off}; a chunk travels compressed
 *     only when that saves at least 10% of it</td></tr>
 * <tr><td>{@value #AUTH_BACKOFF_BASE}</td><td>1s</td><td>the first lock after too many failed logins of one user
 *     name or from one source address; each further failure doubles it; 0 = no back-off</td></tr>
 * <tr><td>{@value #AUTH_BACKOFF_MAX}</td><td>60s</td><td>the longest such lock (it also bounds how long a guesser can
 *     lock a real user out)</td></tr>
 * <tr><td>{@value #AUTH_BACKOFF_FREE}</td><td>3</td><td>failed logins of a user or an address before the first lock</td></tr>
 * <tr><td>{@value #AUTH_BACKOFF_FORGET}</td><td>15m</td><td>failures are forgotten this long after the last one</td></tr>
 * <tr><td>{@value #MAX_SESSIONS_PER_USER}</td><td>8</td><td>live sessions of one user; more are refused at login with
 *     LIMIT_EXCEEDED</td></tr>
 * <tr><td>{@value #MAX_TRANSFERS_PER_SESSION}</td><td>1000</td><td>OPEN requests (refused ones included) one connection
 *     may make; the next one ends the session with LIMIT_EXCEEDED (bounds name probing per login)</td></tr>
 * <tr><td>{@value #MAX_STREAMS_PER_CONNECTION}</td><td>16</td><td>streams a client may have open at once on its QUIC
 *     connection (the QUIC stream limit this server grants; mpft clients use one)</td></tr>
 * <tr><td>{@value #MAX_BYTES_IN_FLIGHT}</td><td>256m</td><td>chunk bytes one connection may have in flight; the start is
 *     refused when {@value #WINDOW} x the largest chunk size ({@value #CHUNK_SIZE} when set, else the larger of it and
 *     {@value #CHUNK_SIZE_MAX}) exceeds it; also caps the QUIC flow-control window this server grants a client</td></tr>
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
    static final String SECONDARIES = "mpft.secondaries";
    static final String CLUSTER_SECRET_FILE = "mpft.cluster.secret-file";
    static final String ACCEPT_PRIMARIES = "mpft.cluster.accept-primaries";
    static final String ADVERTISE_ADDRESS = "mpft.advertise-address";
    static final String MAX_SEND_RATE = "mpft.max-send-rate";
    static final String MAX_UDP_PAYLOAD = "mpft.max-udp-payload";
    static final String CHUNK_RETRIES = "mpft.chunk-retries";
    static final String CHUNK_TIMEOUT_MIN = "mpft.chunk-timeout.min";
    static final String CHUNK_TIMEOUT_FACTOR = "mpft.chunk-timeout.factor";
    static final String AUTH_BACKOFF_BASE = "mpft.auth.backoff.base";
    static final String AUTH_BACKOFF_MAX = "mpft.auth.backoff.max";
    static final String AUTH_BACKOFF_FREE = "mpft.auth.backoff.free-failures";
    static final String AUTH_BACKOFF_FORGET = "mpft.auth.backoff.forget";
    static final String MAX_SESSIONS_PER_USER = "mpft.max-sessions-per-user";
    static final String MAX_TRANSFERS_PER_SESSION = "mpft.max-transfers-per-session";
    static final String MAX_STREAMS_PER_CONNECTION = "mpft.max-streams-per-connection";
    static final String MAX_BYTES_IN_FLIGHT = "mpft.max-bytes-in-flight";
    static final String CHUNK_SIZE_MIN = "mpft.chunk-size.min";
    static final String CHUNK_SIZE_MAX = "mpft.chunk-size.max";
    static final String CACHE_MAX_BYTES = "mpft.cache.max-bytes";
    static final String COMPRESSION = "mpft.compression";
    static final String PREFETCH = "mpft.prefetch";
    static final String DIGESTS_MAX_BYTES = "mpft.digests.max-bytes";

    /** An instance's role. */
    enum Role { PRIMARY, SECONDARY }

    /**
     * A {@code host:port} entry.
     *
     * @param host the host name or address, as written
     * @param port the UDP port
     */
    record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

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
        d.put(SECONDARIES, "");
        d.put(CLUSTER_SECRET_FILE, "");
        d.put(ACCEPT_PRIMARIES, "");
        d.put(ADVERTISE_ADDRESS, "");
        d.put(MAX_SEND_RATE, "0");
        d.put(MAX_UDP_PAYLOAD, "auto");
        d.put(CHUNK_RETRIES, "3");
        d.put(CHUNK_TIMEOUT_MIN, "5s");
        d.put(CHUNK_TIMEOUT_FACTOR, "8");
        d.put(AUTH_BACKOFF_BASE, "1s");
        d.put(AUTH_BACKOFF_MAX, "60s");
        d.put(AUTH_BACKOFF_FREE, "3");
        d.put(AUTH_BACKOFF_FORGET, "15m");
        d.put(MAX_SESSIONS_PER_USER, "8");
        d.put(MAX_TRANSFERS_PER_SESSION, "1000");
        d.put(MAX_STREAMS_PER_CONNECTION, "16");
        d.put(MAX_BYTES_IN_FLIGHT, "256m");
        d.put(CHUNK_SIZE_MIN, "256k");
        d.put(CHUNK_SIZE_MAX, "16m");
        d.put(CACHE_MAX_BYTES, "128m");
        d.put(COMPRESSION, "zstd");
        d.put(PREFETCH, "4");
        d.put(DIGESTS_MAX_BYTES, "64m");
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
    private final Role role;
    private final java.util.List<HostPort> secondaries;
    private final java.nio.file.Path clusterSecretFile;
    private final java.util.List<InetAddress> acceptPrimaries;
    private final String advertiseHost;
    private final int advertisePort;
    private final long maxSendRate;
    private final int maxUdpPayload;
    private final int chunkRetries;
    private final ChunkTimeoutPolicy chunkTimeouts;
    private final Duration authBackoffBase;
    private final Duration authBackoffMax;
    private final int authBackoffFreeFailures;
    private final Duration authBackoffForget;
    private final int maxSessionsPerUser;
    private final int maxTransfersPerSession;
    private final int maxStreamsPerConnection;
    private final long maxBytesInFlight;
    private final int chunkSizeMin;
    private final boolean chunkSizeFixed;
    private final int chunkSizeMax;
    private final long cacheMaxBytes;
    private final org.mpft.protocol.Encoding compression;
    private final int prefetch;
    private final long digestsMaxBytes;

    private MpftSettings(Map<String, String> values) throws ChannelStartException {
        this(values, false);
    }

    private MpftSettings(Map<String, String> values, boolean chunkSizeFixed) throws ChannelStartException {
        this.chunkSizeFixed = chunkSizeFixed;
        bind = address(values, BIND);
        port = (int) integer(values, PORT, 0, 65535);
        role = switch (values.get(ROLE).trim().toLowerCase(Locale.ROOT)) {
            case "primary" -> Role.PRIMARY;
            case "secondary" -> Role.SECONDARY;
            default -> throw bad(ROLE, values.get(ROLE), "expected primary or secondary");
        };
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
        secondaries = hostPorts(values, SECONDARIES);
        String secretFile = values.get(CLUSTER_SECRET_FILE).trim();
        try {
            clusterSecretFile = secretFile.isEmpty() ? null : java.nio.file.Path.of(secretFile);
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(CLUSTER_SECRET_FILE, secretFile, "expected a file path");
        }
        acceptPrimaries = addresses(values, ACCEPT_PRIMARIES);
        String advertise = values.get(ADVERTISE_ADDRESS).trim();
        if (advertise.isEmpty()) {
            advertiseHost = null;
            advertisePort = 0;
        } else {
            HostPort hp = hostPort(ADVERTISE_ADDRESS, advertise, false);
            advertiseHost = hp.host();
            advertisePort = hp.port();
        }
        maxSendRate = size(values, MAX_SEND_RATE, 0, 1L << 40);
        maxUdpPayload = udpPayload(values.get(MAX_UDP_PAYLOAD).trim());
        chunkRetries = (int) integer(values, CHUNK_RETRIES, 0, 100);
        chunkTimeouts = new ChunkTimeoutPolicy(
                duration(values, CHUNK_TIMEOUT_MIN, Duration.ofMillis(100), Duration.ofHours(1)),
                (int) integer(values, CHUNK_TIMEOUT_FACTOR, 2, 1000));
        authBackoffBase = duration(values, AUTH_BACKOFF_BASE, Duration.ZERO, Duration.ofHours(1));
        authBackoffMax = duration(values, AUTH_BACKOFF_MAX, authBackoffBase, Duration.ofDays(1));
        authBackoffFreeFailures = (int) integer(values, AUTH_BACKOFF_FREE, 0, 1000);
        authBackoffForget = duration(values, AUTH_BACKOFF_FORGET, Duration.ofSeconds(1), Duration.ofDays(7));
        maxSessionsPerUser = (int) integer(values, MAX_SESSIONS_PER_USER, 1, 100_000);
        maxTransfersPerSession = (int) integer(values, MAX_TRANSFERS_PER_SESSION, 1, 100_000_000);
        maxStreamsPerConnection = (int) integer(values, MAX_STREAMS_PER_CONNECTION, 1, 100_000);
        maxBytesInFlight = size(values, MAX_BYTES_IN_FLIGHT, 1L << 20, 1L << 40);
        chunkSizeMin = (int) size(values, CHUNK_SIZE_MIN, ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MAX_CHUNK_SIZE);
        chunkSizeMax = (int) size(values, CHUNK_SIZE_MAX, chunkSizeMin, ChunkPlan.MAX_CHUNK_SIZE);
        cacheMaxBytes = size(values, CACHE_MAX_BYTES, 0, 1L << 40);
        compression = switch (values.get(COMPRESSION).trim().toLowerCase(Locale.ROOT)) {
            case "zstd" -> org.mpft.protocol.Encoding.ZSTD;
            case "deflate" -> org.mpft.protocol.Encoding.DEFLATE;
            case "off", "none", "false" -> org.mpft.protocol.Encoding.RAW;
            default -> throw bad(COMPRESSION, values.get(COMPRESSION), "expected zstd, deflate or off");
        };
        prefetch = (int) integer(values, PREFETCH, 0, 64);
        digestsMaxBytes = size(values, DIGESTS_MAX_BYTES, 0, 1L << 40);
        // a fixed mpft.chunk-size is the only size served; otherwise the policy may go up to chunk-size.max
        long largestChunk = chunkSizeFixed ? chunkSize : Math.max(chunkSize, chunkSizeMax);
        if ((long) window * largestChunk > maxBytesInFlight) {
            throw new ChannelStartException("invalid setting " + MAX_BYTES_IN_FLIGHT + "=" + values.get(MAX_BYTES_IN_FLIGHT)
                    + ": " + WINDOW + " (" + window + ") x the largest chunk (" + largestChunk + " bytes) would put "
                    + (long) window * largestChunk + " bytes in flight; raise it or lower " + WINDOW + " or "
                    + CHUNK_SIZE_MAX);
        }
        if (role == Role.SECONDARY && (clusterSecretFile == null || acceptPrimaries.isEmpty())) {
            throw new ChannelStartException("invalid setting " + ROLE + "=secondary: it requires "
                    + CLUSTER_SECRET_FILE + " and " + ACCEPT_PRIMARIES);
        }
        if (role == Role.SECONDARY && !secondaries.isEmpty()) {
            throw new ChannelStartException("invalid setting " + SECONDARIES + ": only a primary has secondaries ("
                    + ROLE + "=secondary)");
        }
        if (!secondaries.isEmpty() && clusterSecretFile == null) {
            throw new ChannelStartException("invalid setting " + SECONDARIES + ": secondaries require "
                    + CLUSTER_SECRET_FILE);
        }
    }

    private static java.util.List<HostPort> hostPorts(Map<String, String> values, String key)
            throws ChannelStartException {
        java.util.List<HostPort> list = new java.util.ArrayList<>();
        for (String entry : values.get(key).split(",")) {
            if (!entry.isBlank()) {
                list.add(hostPort(key, entry.trim(), true));
            }
        }
        return java.util.List.copyOf(list);
    }

    /** Parses {@code host:port}, {@code [v6]:port}, or (when the port is optional) {@code host}. */
    private static HostPort hostPort(String key, String entry, boolean portRequired) throws ChannelStartException {
        String host = entry;
        int port = 0;
        int colon = entry.lastIndexOf(':');
        boolean bracketed = entry.startsWith("[");
        if (bracketed) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw bad(key, entry, "expected host:port");
            }
            host = entry.substring(1, close);
            colon = entry.length() > close + 1 && entry.charAt(close + 1) == ':' ? close + 1 : -1;
        } else if (colon >= 0 && entry.indexOf(':') != colon) {
            colon = -1; // a bare IPv6 address
        } else if (colon >= 0) {
            host = entry.substring(0, colon);
        }
        if (colon >= 0) {
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw bad(key, entry, "expected host:port with a port from 1 to 65535");
            }
            if (port < 1 || port > 65535) {
                throw bad(key, entry, "expected host:port with a port from 1 to 65535");
            }
        } else if (portRequired) {
            throw bad(key, entry, "expected host:port");
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:\\-%]+")) {
            throw bad(key, entry, "expected an IP address or host name");
        }
        return new HostPort(host, port);
    }

    private static java.util.List<InetAddress> addresses(Map<String, String> values, String key)
            throws ChannelStartException {
        java.util.List<InetAddress> list = new java.util.ArrayList<>();
        for (String entry : values.get(key).split(",")) {
            String host = entry.trim();
            if (host.isEmpty()) {
                continue;
            }
            try {
                list.addAll(java.util.Arrays.asList(InetAddress.getAllByName(host.startsWith("[") && host.endsWith("]")
                        ? host.substring(1, host.length() - 1) : host)));
            } catch (UnknownHostException e) {
                throw bad(key, entry, "unknown host");
            }
        }
        return java.util.List.copyOf(list);
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
        return new MpftSettings(values, configuration.containsKey(CHUNK_SIZE));
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

    /** This instance's role. */
    Role role() {
        return role;
    }

    /** A primary's secondaries, in configuration order (empty for none). */
    java.util.List<HostPort> secondaries() {
        return secondaries;
    }

    /** The cluster secret file as configured (relative to the data folder), or null. */
    java.nio.file.Path clusterSecretFile() {
        return clusterSecretFile;
    }

    /** The addresses a secondary accepts cluster links from. */
    java.util.List<InetAddress> acceptPrimaries() {
        return acceptPrimaries;
    }

    /** The advertised client-facing host, or null to use the bind address. */
    String advertiseHost() {
        return advertiseHost;
    }

    /** The advertised client-facing port, or 0 to use the bound port. */
    int advertisePort() {
        return advertisePort;
    }

    /** The instance's send-rate cap, bytes per second; 0 for none. */
    long maxSendRate() {
        return maxSendRate;
    }

    /** The largest UDP payload, bytes; 0 for {@code auto} ({@link org.mpft.transport.DatagramSizes}). */
    int maxUdpPayload() {
        return maxUdpPayload;
    }

    /** Failures of one chunk tolerated before a transfer fails. */
    int chunkRetries() {
        return chunkRetries;
    }

    /** When a secondary's chunk in flight times out ({@value #CHUNK_TIMEOUT_MIN}, {@value #CHUNK_TIMEOUT_FACTOR}). */
    ChunkTimeoutPolicy chunkTimeouts() {
        return chunkTimeouts;
    }

    /** The first lock after too many failed logins (zero: no back-off). */
    Duration authBackoffBase() {
        return authBackoffBase;
    }

    /** The longest failed-login lock. */
    Duration authBackoffMax() {
        return authBackoffMax;
    }

    /** Failed logins of a user or address before the first lock. */
    int authBackoffFreeFailures() {
        return authBackoffFreeFailures;
    }

    /** How long after its last failure a user's or address's failures are forgotten. */
    Duration authBackoffForget() {
        return authBackoffForget;
    }

    /** The most live sessions of one user. */
    int maxSessionsPerUser() {
        return maxSessionsPerUser;
    }

    /** The most OPEN requests one session may make. */
    int maxTransfersPerSession() {
        return maxTransfersPerSession;
    }

    /** The most streams a client may have open at once on its connection. */
    int maxStreamsPerConnection() {
        return maxStreamsPerConnection;
    }

    /** The most chunk bytes one connection may have in flight (also the QUIC window granted), bytes. */
    long maxBytesInFlight() {
        return maxBytesInFlight;
    }


    /** True when {@value #CHUNK_SIZE} was set: every transfer uses it, no adaptive choice. */
    boolean chunkSizeFixed() {
        return chunkSizeFixed;
    }

    /** The smallest chunk size chosen, bytes. */
    int chunkSizeMin() {
        return chunkSizeMin;
    }

    /** The largest chunk size chosen, bytes. */
    int chunkSizeMax() {
        return chunkSizeMax;
    }

    /** The chunk cache's bound, bytes; 0 when disabled. */
    long cacheMaxBytes() {
        return cacheMaxBytes;
    }

    /**
     * Chunks a sender reads ahead of the ones it is sending, per transfer and path ({@code mpft.prefetch},
     * 0..64, default 4; 0 = no read-ahead). All read-ahead buffers of the instance together stay below
     * {@link #maxBytesInFlight()}.
     */
    int prefetch() {
        return prefetch;
    }

    /**
     * The most bytes of chunk digests a primary keeps in its data folder ({@code mpft.digests.max-bytes}, default
     * 64 MiB; 0 = digests are kept in memory only).
     */
    long digestsMaxBytes() {
        return digestsMaxBytes;
    }

    /** The encoding of compressed chunks, or {@link org.mpft.protocol.Encoding#RAW} when compression is off. */
    org.mpft.protocol.Encoding compression() {
        return compression;
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

    /** {@code auto} (0) or a UDP payload size within what QUIC and UDP allow. */
    private static int udpPayload(String value) throws ChannelStartException {
        if ("auto".equalsIgnoreCase(value)) {
            return 0;
        }
        String expected = "expected auto or a number of bytes from " + TransportSettings.MIN_PAYLOAD + " to "
                + TransportSettings.MAX_DATAGRAM;
        try {
            int n = Integer.parseInt(value);
            if (n < TransportSettings.MIN_PAYLOAD || n > TransportSettings.MAX_DATAGRAM) {
                throw bad(MAX_UDP_PAYLOAD, value, expected);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(MAX_UDP_PAYLOAD, value, expected);
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
                + maxSessions + ", ioThreads=" + ioThreads + ", authFailureDelay=" + authFailureDelay + ", role="
                + role.name().toLowerCase(Locale.ROOT) + ", secondaries=" + secondaries + ", advertise="
                + (advertiseHost == null ? "-" : advertiseHost + ":" + advertisePort) + ", maxSendRate=" + maxSendRate
                + ", maxUdpPayload=" + (maxUdpPayload == 0 ? "auto" : maxUdpPayload)
                + ", chunkRetries=" + chunkRetries + ", chunkTimeouts=" + chunkTimeouts
                + ", chunkSize=[" + chunkSizeMin + ", " + chunkSizeMax
                + "], cacheMaxBytes=" + cacheMaxBytes + ", compression=" + compression + ", prefetch=" + prefetch
                + ", digestsMaxBytes=" + digestsMaxBytes + "]";
    }
}
