package org.mpft.plugin;

import static org.mpft.plugin.SettingParsers.address;
import static org.mpft.plugin.SettingParsers.addresses;
import static org.mpft.plugin.SettingParsers.autoOrInteger;
import static org.mpft.plugin.SettingParsers.choice;
import static org.mpft.plugin.SettingParsers.duration;
import static org.mpft.plugin.SettingParsers.hostPorts;
import static org.mpft.plugin.SettingParsers.intSize;
import static org.mpft.plugin.SettingParsers.integer;
import static org.mpft.plugin.SettingParsers.optionalHostAndPort;
import static org.mpft.plugin.SettingParsers.optionalHostPort;
import static org.mpft.plugin.SettingParsers.optionalPath;
import static org.mpft.plugin.SettingParsers.size;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.Strategy;
import org.mpft.transport.TransportSettings;
import org.mpft.transport.CongestionControl;

/**
 * Every {@code mpft.*} key, each declared once with its default, what it accepts (type, bounds, unit) and its
 * meaning, in documentation order: the order and sections of the sample {@code plugin.properties}, which a
 * test checks against these declarations, as it checks the key table of {@code docs/ARCHITECTURE.md}.
 * {@link MpftSettings} reads them; rules that tie several keys together live there.
 *
 * <p>Each constant's {@link Setting#doc()} is its documentation: the sample file's comment and the docs' key
 * table are that text, and {@link Setting#accepts()} states its bounds and unit.
 */
public final class MpftKeys {

    public static final Setting<InetAddress> BIND = address("mpft.bind", "127.0.0.1",
            "The address the QUIC listener (TLS 1.3, ALPN mpft/1) binds.");
    public static final Setting<Integer> PORT = integer("mpft.port", "7300", 0, 65535,
            "The UDP port of the QUIC listener; 0 = an ephemeral port (logged).");
    public static final Setting<String> NAME = SettingParsers.name("mpft.name", "mpft",
            "This instance's name, shown to clients in progress lines and summaries.");
    public static final Setting<Integer> IO_THREADS = integer("mpft.io-threads", "2", 1, 64,
            "Threads that read and hash chunks and call the host to open files (logins have their own pool).");
    public static final Setting<Integer> DIGEST_THREADS = integer("mpft.digest-threads", "2", 1, 64,
            "Threads on which a primary reads the files of its multi-path transfers whole, for the digests that"
            + " clients check the secondaries' chunks against; the transfers take turns on them, a batch of"
            + " chunks at a time.");

    public static final Setting<Path> TLS_CERTIFICATE = optionalPath("mpft.tls.certificate",
            "The administrator's own TLS certificate (PEM), optionally followed by its intermediate certificates,"
            + " presented instead of the self-signed one kept in the data folder, so clients can verify it"
            + " against a certificate authority (mpft get --ca); set with mpft.tls.key or not at all; relative"
            + " paths are inside the plugin's data folder.");
    public static final Setting<Path> TLS_KEY = optionalPath("mpft.tls.key",
            "The private key of mpft.tls.certificate (PEM: PKCS#8, or traditional RSA or EC; not encrypted): a"
            + " regular file (not a symbolic link) with no group or other permission (chmod 600); relative"
            + " paths are inside the plugin's data folder.");

    public static final Setting<MpftSettings.Role> ROLE = choice("mpft.role", "primary",
            Map.of("primary", MpftSettings.Role.PRIMARY, "secondary", MpftSettings.Role.SECONDARY),
            "primary or secondary",
            "primary: coordinates downloads and serves its share; secondary: serves the chunks its primaries assign.");
    public static final Setting<List<MpftSettings.HostPort>> SECONDARIES = hostPorts("mpft.secondaries",
            "Primary only: the secondaries it drives (each over its own QUIC cluster link).");
    public static final Setting<Path> CLUSTER_SECRET_FILE = optionalPath("mpft.cluster.secret-file",
            "Both roles, required with secondaries and for a secondary: a regular file (not a symbolic link) of at"
            + " least 32 random bytes, owned by the server's user, mode 600 or stricter (make one with"
            + " mpft-host cluster-secret FILE), the same on the primary and its secondaries; relative paths are"
            + " inside the plugin's data folder.");
    public static final Setting<List<InetAddress>> ACCEPT_PRIMARIES = addresses("mpft.cluster.accept-primaries",
            "Secondary only, required: the addresses of the primaries whose cluster links it accepts.");
    public static final Setting<Duration> MAX_TICKET_LIFETIME = duration("mpft.cluster.max-ticket-lifetime", "2m",
            Duration.ofSeconds(1), Duration.ofHours(1),
            "Secondary only: a client's ticket valid longer than this from now (by the secondary's clock) is"
            + " refused; the primary sets each ticket's expiry, the secondary caps it.");
    public static final Setting<Duration> CLUSTER_LINK_TIMEOUT = duration("mpft.cluster.link-timeout", "2s",
            Duration.ofMillis(500), Duration.ofMinutes(10),
            "Primary only: a cluster link that hears nothing from its secondary for this long is down (the primary"
            + " sends LINK_PING every quarter of it); new transfers leave that secondary out at once while the"
            + " link reconnects in the background.");
    public static final Setting<Duration> CLUSTER_REGISTER_TIMEOUT = duration("mpft.cluster.register-timeout", "1s",
            Duration.ofMillis(100), Duration.ofMinutes(1),
            "Primary only: how long a secondary has to confirm a transfer's registration. The primary answers the"
            + " client and sends its own chunks meanwhile; a secondary that has not confirmed by then is left out"
            + " of that transfer (its chunks go to the other paths).");
    public static final Setting<MpftSettings.HostPort> ADVERTISE_ADDRESS = optionalHostPort("mpft.advertise-address",
            "The address clients reach this instance at, when it differs from the bind address and port (back-end"
            + " networks, NAT): a secondary sends it to its primaries (CLUSTER_WELCOME), which give it to clients"
            + " (META).");
    public static final Setting<Strategy> STRATEGY = choice("mpft.strategy", Strategy.ADAPTIVE.settingName(),
            Map.of(Strategy.ALTERNATE.settingName(), Strategy.ALTERNATE,
                    Strategy.ADAPTIVE.settingName(), Strategy.ADAPTIVE),
            "alternate or adaptive",
            "How chunks are spread over the paths when the client does not choose (mpft get --strategy).");

    public static final Setting<Integer> CHUNK_SIZE = intSize("mpft.chunk-size", "4m",
            ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MAX_CHUNK_SIZE,
            "Fixed chunk size for every transfer. Leave it unset to let the server choose per file from the file"
            + " size, the number of paths and their measured speed, between the two bounds below (aiming at this"
            + " default while no speed is measured).");
    public static final Setting<Integer> CHUNK_SIZE_MIN = intSize("mpft.chunk-size.min", "256k",
            ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MAX_CHUNK_SIZE, "The smallest chunk size the server chooses; a file of at most this size is one chunk. A file that"
            + " one round of chunks covers is split over the paths in equal shares, which may be smaller.");
    public static final Setting<Integer> CHUNK_SIZE_MAX = intSize("mpft.chunk-size.max", "16m",
            ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MAX_CHUNK_SIZE,
            "The largest chunk size the server chooses, at least mpft.chunk-size.min.");
    public static final Setting<ChecksumAlgorithm> CHECKSUM = choice("mpft.checksum", "crc32c",
            Map.of("sha256", ChecksumAlgorithm.SHA256, "sha-256", ChecksumAlgorithm.SHA256,
                    "crc32c", ChecksumAlgorithm.CRC32C), "sha256 or crc32c",
            "Per-chunk checksum of the primary's own chunks: crc32c or sha256. TLS already authenticates every"
                    + " byte from the primary, so the checksum only has to catch damage, which CRC-32C does for a"
                    + " tenth of SHA-256's CPU or less; the client still computes the whole file's SHA-256. Chunks"
                    + " from secondaries are always checked with sha256.");
    public static final Setting<Integer> WINDOW = integer("mpft.window", "8", 1, 256,
            "Chunks in flight per path (read, sending or awaiting the client's ACK).");
    public static final Setting<Integer> CHUNK_RETRIES = integer("mpft.chunk-retries", "3", 0, 100,
            "Failures of one chunk (NACK, CHUNK_ERROR) tolerated before the transfer fails (a chunk is repeated"
            + " once on the same path, then moved to another).");
    public static final Setting<Duration> CHUNK_TIMEOUT_MIN = duration("mpft.chunk-timeout.min", "5s",
            Duration.ofMillis(100), Duration.ofHours(1),
            "A secondary that delivers no chunk for max(min, factor x one chunk's time at its measured speed) has"
            + " its oldest chunk time out (repeated, then moved); two timeouts in a row without a delivery drop the"
            + " path. A path not measured yet gets 4 times min.");
    public static final Setting<Integer> CHUNK_TIMEOUT_FACTOR = integer("mpft.chunk-timeout.factor", "8", 2, 1000,
            "The factor of that rule: the timeout is this many times one chunk's time at the path's measured speed.");
    public static final Setting<Long> CACHE_MAX_BYTES = size("mpft.cache.max-bytes", "128m", 0, 1L << 40,
            "Chunk cache, bytes of chunk data held (direct memory, outside the heap); 0 disables it. A second"
            + " download of a cached file reads neither disk nor hashes again.");
    public static final Setting<Encoding> COMPRESSION = choice("mpft.compression", "zstd",
            Map.of("zstd", Encoding.ZSTD, "deflate", Encoding.DEFLATE, "off", Encoding.RAW, "none", Encoding.RAW,
                    "false", Encoding.RAW), "zstd, deflate or off",
            "Compression offered to clients that ask for it (mpft get --compress); a chunk travels compressed only"
            + " when that saves at least 10% of it.");
    public static final Setting<CongestionControl> CONGESTION_CONTROL = choice("mpft.congestion-control", "bbr",
            Map.of("bbr", CongestionControl.BBR, "cubic", CongestionControl.CUBIC, "reno", CongestionControl.RENO),
            "bbr, cubic or reno",
            "The QUIC congestion controller this instance sends with (chunk data flows from the servers to the"
            + " client, so the servers' controller is the one that counts): quiche's BBR, CUBIC or NewReno.");
    public static final Setting<Integer> PREFETCH = integer("mpft.prefetch", "4", 0, 64,
            "Chunks a sender reads ahead of the one it sends, per transfer and path (0 = none), so that disk"
            + " reads overlap network sends; all read-ahead buffers together stay below mpft.max-bytes-in-flight.");
    public static final Setting<Long> DIGESTS_MAX_BYTES = size("mpft.digests.max-bytes", "64m", 0, 1L << 40,
            "A primary keeps the chunk digests it computed in its data folder (digests/), at most this many bytes,"
            + " so that after a restart it does not read a big file again before secondaries may serve it;"
            + " 0 = memory only.");
    public static final Setting<Long> MAX_SEND_RATE = size("mpft.max-send-rate", "0", 0, 1L << 40,
            "Most chunk bytes per second this instance sends over all connections (40m = 40 MiB/s);"
            + " 0 = unlimited.");
    public static final Setting<Integer> MAX_UDP_PAYLOAD = autoOrInteger("mpft.max-udp-payload",
            TransportSettings.MIN_PAYLOAD, TransportSettings.MAX_DATAGRAM, "bytes",
            "Largest UDP payload sent and received, bytes. auto: when mpft.bind is a loopback address, the"
            + " loopback interface's MTU minus 48, at most 16383 (the largest packet the QUIC library builds;"
            + " QUIC's cost is per packet, so this is ~11x fewer packets), else 1452 (a 1500-byte Ethernet MTU)."
            + " Raise it only if every path to every client carries such datagrams.");

    public static final Setting<Long> MAX_FILE_SIZE = size("mpft.max-file-size", "1t", 0, Long.MAX_VALUE,
            "The largest file served, bytes.");
    public static final Setting<Integer> MAX_SESSIONS = integer("mpft.max-sessions", "64", 1, 100_000,
            "Concurrent logged-in client sessions; more are refused with LIMIT_EXCEEDED (connections that have"
            + " not logged in yet count under mpft.max-unauthenticated instead).");
    public static final Setting<Integer> MAX_SESSIONS_PER_USER = integer("mpft.max-sessions-per-user", "8",
            1, 100_000, "Live sessions of one user; more are refused at login with LIMIT_EXCEEDED.");
    public static final Setting<Integer> MAX_UNAUTHENTICATED = integer("mpft.max-unauthenticated", "128",
            1, 100_000, "Connections that have not logged in yet, in all; more are answered busy (LIMIT_EXCEEDED).");
    public static final Setting<Integer> MAX_UNAUTHENTICATED_PER_SOURCE = integer(
            "mpft.max-unauthenticated-per-source", "16", 1, 100_000,
            "Connections that have not logged in yet from one IPv4 address or IPv6 /64; more are answered busy.");
    public static final Setting<Duration> LOGIN_TIMEOUT = duration("mpft.login-timeout", "10s",
            Duration.ofMillis(100), Duration.ofMinutes(10),
            "A connection that has not sent its login (AUTH_*, or a secondary's ATTACH) this long after it was"
            + " made is closed; the host's check of a login that arrived in time is not cut short.");
    public static final Setting<Duration> LOGIN_TOKEN_LIFETIME = duration("mpft.login-token-lifetime", "30s",
            Duration.ofMillis(100), Duration.ofSeconds(60),
            "How long the single-use login token of a session offer (the host's SSH command mpft-offer) may wait"
            + " for its AUTH_TOKEN login.");
    public static final Setting<Integer> MAX_LOGIN_TOKENS_PER_USER = integer("mpft.max-login-tokens-per-user",
            "64", 1, 4096,
            "Unused session-offer login tokens one user may hold (mpft-offer --tokens N mints up to 16 at once);"
            + " an offer that would pass it is refused until tokens are used or expire.");
    public static final Setting<MpftSettings.AddressValidation> ADDRESS_VALIDATION = choice(
            "mpft.address-validation", "auto",
            Map.of("auto", MpftSettings.AddressValidation.AUTO, "always", MpftSettings.AddressValidation.ALWAYS,
                    "off", MpftSettings.AddressValidation.OFF), "auto, always or off",
            "QUIC Retry before a new connection's handshake, so that only clients that receive at their source"
            + " address get one: auto = while half of mpft.max-unauthenticated is in use, always, or off.");
    public static final Setting<Integer> MAX_TRANSFERS_PER_SESSION = integer("mpft.max-transfers-per-session",
            "1000", 1, 100_000_000,
            "OPEN requests (refused ones included) one connection may make; the next one ends the session with"
            + " LIMIT_EXCEEDED, once the transfers in progress on its other streams ended (bounds name probing"
            + " per login).");
    public static final Setting<Integer> MAX_CONCURRENT_TRANSFERS = integer("mpft.max-concurrent-transfers",
            "8", 1, 64,
            "Transfers in progress at once on one client connection: on a primary its control stream's and its"
            + " transfer streams' together (an OPEN over it is answered LIMIT_EXCEEDED on its stream and the session"
            + " goes on); on a secondary the attachments (one over gets LIMIT_EXCEEDED and its stream is closed).");
    public static final Setting<Integer> MAX_LISTS_PER_SESSION = integer("mpft.max-lists-per-session",
            "10000", 1, 100_000_000,
            "LIST requests (pages of a folder listing, refused ones included) one connection may make; the next"
            + " one ends the session with LIMIT_EXCEEDED (bounds enumeration per login).");
    public static final Setting<Integer> MAX_STREAMS_PER_CONNECTION = integer("mpft.max-streams-per-connection",
            "64", 1, 100_000,
            "Streams a client may have open at once on its QUIC connection (the QUIC stream limit this server"
            + " grants): its control stream, one per file in flight (--files-per-session) and, on a secondary,"
            + " one per transfer attached. A stream's credit comes back only once both sides closed it and the"
            + " client heard so, so a busy connection needs headroom over the files it has in flight: with 16, a"
            + " client fetching a tree over two 200 Mbit/s paths ran out on its secondary for 4 in 10 files, and"
            + " each such file made a QUIC connection of its own.");
    public static final Setting<Long> MAX_BYTES_IN_FLIGHT = size("mpft.max-bytes-in-flight", "256m",
            1L << 20, 1L << 40,
            "Chunk bytes one connection may have in flight: chunk buffers read and not yet taken by QUIC; a sender"
            + " at the bound reads no further chunk until some are. The start is refused when mpft.window x the"
            + " largest chunk size (mpft.chunk-size when set, else the larger of it and mpft.chunk-size.max)"
            + " exceeds it.");
    public static final Setting<Long> MAX_BYTES_HELD = size("mpft.max-bytes-held", "1g", 1L << 20, 1L << 40,
            "Chunk bytes all connections of this instance may have in flight together (the same buffers as"
            + " mpft.max-bytes-in-flight); at least mpft.window x the largest chunk size. The memory of released"
            + " chunk buffers is kept for the next chunks: never more than was in use at once, and at most 128 MiB.");
    public static final Setting<Duration> IDLE_TIMEOUT = duration("mpft.idle-timeout", "30s",
            Duration.ofSeconds(1), Duration.ofHours(1), "A connection silent this long is closed.");

    public static final Setting<Duration> AUTH_FAILURE_DELAY = duration("mpft.auth-failure-delay", "500ms",
            Duration.ZERO, Duration.ofSeconds(30), "Every failed login waits this long before its answer.");
    public static final Setting<Duration> AUTH_BACKOFF_BASE = duration("mpft.auth.backoff.base", "1s",
            Duration.ZERO, Duration.ofHours(1),
            "After free-failures failures of one user name or from one address: a lock of base, doubling with each"
            + " further failure up to max; 0 = no back-off.");
    public static final Setting<Duration> AUTH_BACKOFF_MAX = duration("mpft.auth.backoff.max", "60s",
            Duration.ZERO, Duration.ofDays(1),
            "The longest lock, at least base (it also bounds how long a guesser can lock a real user out).");
    public static final Setting<Integer> AUTH_BACKOFF_FREE = integer("mpft.auth.backoff.free-failures", "3",
            0, 1000, "Failed logins of a user name or an address before the first lock.");
    public static final Setting<Duration> AUTH_BACKOFF_FORGET = duration("mpft.auth.backoff.forget", "15m",
            Duration.ofSeconds(1), Duration.ofDays(7), "Failures are forgotten this long after the last one.");

    public static final Setting<MpftSettings.HostPort> METRICS_BIND = optionalHostAndPort("mpft.metrics.bind",
            "The TCP address and port (host:port) of an HTTP listener that serves the instance's counters in the"
            + " Prometheus text format at /metrics; empty = no listener. It has no login and no TLS: bind it to"
            + " loopback or a management network only.");

    /**
     * A group of keys under one heading of the sample {@code plugin.properties}.
     *
     * @param title the heading
     * @param settings its keys, in order
     */
    public record Section(String title, List<Setting<?>> settings) {
    }

    /** The keys by section, in documentation order. */
    public static final List<Section> SECTIONS = List.of(
            new Section("listener", List.of(BIND, PORT, NAME, IO_THREADS, DIGEST_THREADS)),
            new Section("TLS", List.of(TLS_CERTIFICATE, TLS_KEY)),
            new Section("role and cluster (multi-path)",
                    List.of(ROLE, SECONDARIES, CLUSTER_SECRET_FILE, ACCEPT_PRIMARIES, MAX_TICKET_LIFETIME,
                            CLUSTER_LINK_TIMEOUT, CLUSTER_REGISTER_TIMEOUT, ADVERTISE_ADDRESS, STRATEGY)),
            new Section("chunks", List.of(CHUNK_SIZE, CHUNK_SIZE_MIN, CHUNK_SIZE_MAX, CHECKSUM, WINDOW,
                    CHUNK_RETRIES, CHUNK_TIMEOUT_MIN, CHUNK_TIMEOUT_FACTOR, CACHE_MAX_BYTES, COMPRESSION, PREFETCH,
                    DIGESTS_MAX_BYTES, MAX_SEND_RATE, MAX_UDP_PAYLOAD, CONGESTION_CONTROL)),
            new Section("limits", List.of(MAX_FILE_SIZE, MAX_SESSIONS, MAX_SESSIONS_PER_USER, MAX_UNAUTHENTICATED,
                    MAX_UNAUTHENTICATED_PER_SOURCE, LOGIN_TIMEOUT, LOGIN_TOKEN_LIFETIME, MAX_LOGIN_TOKENS_PER_USER,
                    ADDRESS_VALIDATION,
                    MAX_TRANSFERS_PER_SESSION, MAX_CONCURRENT_TRANSFERS, MAX_LISTS_PER_SESSION, MAX_STREAMS_PER_CONNECTION, MAX_BYTES_IN_FLIGHT,
                    MAX_BYTES_HELD,
                    IDLE_TIMEOUT)),
            new Section("failed logins", List.of(AUTH_FAILURE_DELAY, AUTH_BACKOFF_BASE, AUTH_BACKOFF_MAX,
                    AUTH_BACKOFF_FREE, AUTH_BACKOFF_FORGET)),
            new Section("operations", List.of(METRICS_BIND)));

    /** Every key, in documentation order. */
    public static final List<Setting<?>> ALL =
            SECTIONS.stream().flatMap(s -> s.settings().stream()).toList();

    /** Every key with its default text, in documentation order. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> defaults = new LinkedHashMap<>();
        ALL.forEach(s -> defaults.put(s.key(), s.defaultText()));
        DEFAULTS = java.util.Collections.unmodifiableMap(defaults);
    }

    private MpftKeys() {
    }

    /**
     * The setting of a key.
     *
     * @param key a full key, e.g. {@code mpft.window}
     * @return the setting, or empty when no such key is declared
     */
    public static Optional<Setting<?>> find(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).<Setting<?>>map(s -> s).findFirst();
    }
}
