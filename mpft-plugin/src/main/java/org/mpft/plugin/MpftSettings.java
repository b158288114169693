package org.mpft.plugin;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.mpft.api.ChannelStartException;
import org.mpft.plugin.schedule.ChunkTimeoutPolicy;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.Strategy;
import org.mpft.transport.CongestionControl;

/**
 * The plugin's settings: every {@code mpft.*} key of the host's configuration, typed, parsed and validated
 * once at start. Keys that do not start with {@code mpft.} belong to others and are ignored; an unknown
 * {@code mpft.*} key or a malformed value fails the start with a message naming the key.
 *
 * <p>The keys, their defaults, bounds, units and meanings are declared once, in {@link MpftKeys} (the sample
 * {@code plugin.properties} documents the same, in the same order). This class adds the rules that tie
 * several keys together:
 * <ul>
 * <li>{@code mpft.chunk-size.max} is at least {@code mpft.chunk-size.min};</li>
 * <li>{@code mpft.auth.backoff.max} is at least {@code mpft.auth.backoff.base};</li>
 * <li>{@code mpft.window} x the largest chunk ({@code mpft.chunk-size} when set, else the larger of it and
 *     {@code mpft.chunk-size.max}) is at most {@code mpft.max-bytes-in-flight};</li>
 * <li>{@code mpft.tls.certificate} and {@code mpft.tls.key} are set together or not at all;</li>
 * <li>a secondary requires {@code mpft.cluster.secret-file} and {@code mpft.cluster.accept-primaries}, and has
 *     no {@code mpft.secondaries}; secondaries require {@code mpft.cluster.secret-file}.</li>
 * </ul>
 */
public final class MpftSettings {

    /** The prefix of every key of this plugin. */
    public static final String PREFIX = "mpft.";

    /** Every key with its default, in documentation order ({@link MpftKeys#DEFAULTS}). */
    public static final Map<String, String> DEFAULTS = MpftKeys.DEFAULTS;

    /** An instance's role. */
    public enum Role { PRIMARY, SECONDARY }

    /** When a new connection's source address is validated with a QUIC Retry ({@code mpft.address-validation}). */
    public enum AddressValidation {
        /** While half of {@code mpft.max-unauthenticated} is in use. */
        AUTO,
        /** For every new connection (one more round trip per handshake). */
        ALWAYS,
        /** Never. */
        OFF
    }

    /**
     * A {@code host:port} entry.
     *
     * @param host the host name or address, as written
     * @param port the UDP port
     */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Every key's parsed value (null for an unset optional key). */
    private final Map<Setting<?>, Object> values;
    private final boolean chunkSizeFixed;
    private final ChunkTimeoutPolicy chunkTimeouts;

    private MpftSettings(Map<Setting<?>, Object> values, boolean chunkSizeFixed) {
        this.values = values;
        this.chunkSizeFixed = chunkSizeFixed;
        this.chunkTimeouts = new ChunkTimeoutPolicy(get(MpftKeys.CHUNK_TIMEOUT_MIN), get(MpftKeys.CHUNK_TIMEOUT_FACTOR));
    }

    /**
     * Reads the settings from the host's configuration.
     *
     * @param configuration every key the host read; keys not starting with {@code mpft.} are ignored
     * @throws ChannelStartException naming the first unknown or malformed {@code mpft.*} key
     */
    public static MpftSettings parse(Map<String, String> configuration) throws ChannelStartException {
        Objects.requireNonNull(configuration, "configuration");
        Map<String, String> texts = new LinkedHashMap<>(DEFAULTS);
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
                throw Setting.invalid(key, value, "empty value");
            }
            texts.put(key, value);
        }
        Map<Setting<?>, Object> values = new HashMap<>();
        for (Setting<?> setting : MpftKeys.ALL) {
            values.put(setting, setting.parse(texts.get(setting.key())));
        }
        MpftSettings settings = new MpftSettings(values, configuration.containsKey(MpftKeys.CHUNK_SIZE.key()));
        SettingRules.check(settings, texts);
        return settings;
    }

    @SuppressWarnings("unchecked") // values holds each setting's own parse result
    private <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** Parses {@code 4096}, {@code 4k}, {@code 1g}, {@code 4MiB} (binary units); IllegalArgumentException if not. */
    public static long parseSize(String text) {
        return SettingParsers.parseSize(text);
    }

    /** Where the Prometheus endpoint listens ({@code mpft.metrics.bind}); null when it is off. */
    public HostPort metricsBind() {
        return get(MpftKeys.METRICS_BIND);
    }

    /** The address the listener binds. */
    public InetAddress bind() {
        return get(MpftKeys.BIND);
    }

    /** The UDP port; 0 for an ephemeral one. */
    public int port() {
        return get(MpftKeys.PORT);
    }

    /** The instance's name, for clients' progress lines and the log. */
    public String name() {
        return get(MpftKeys.NAME);
    }

    /** Bytes per chunk. */
    public int chunkSize() {
        return get(MpftKeys.CHUNK_SIZE);
    }

    /** The largest file served, bytes. */
    public long maxFileSize() {
        return get(MpftKeys.MAX_FILE_SIZE);
    }

    /** Chunks in flight per path. */
    public int window() {
        return get(MpftKeys.WINDOW);
    }

    /** How every chunk is checked. */
    public ChecksumAlgorithm checksum() {
        return get(MpftKeys.CHECKSUM);
    }

    /** The strategy when the client leaves the choice to the server. */
    public Strategy strategy() {
        return get(MpftKeys.STRATEGY);
    }

    /** How long a silent connection lives. */
    public Duration idleTimeout() {
        return get(MpftKeys.IDLE_TIMEOUT);
    }

    /** Concurrent client connections. */
    public int maxSessions() {
        return get(MpftKeys.MAX_SESSIONS);
    }

    /** Threads for chunk reads and host calls. */
    public int ioThreads() {
        return get(MpftKeys.IO_THREADS);
    }

    /** Threads for a primary's digests of whole files. */
    public int digestThreads() {
        return get(MpftKeys.DIGEST_THREADS);
    }

    /** The pause before a failed login is answered. */
    public Duration authFailureDelay() {
        return get(MpftKeys.AUTH_FAILURE_DELAY);
    }

    /** This instance's role. */
    public Role role() {
        return get(MpftKeys.ROLE);
    }

    /** A primary's secondaries, in configuration order (empty for none). */
    public List<HostPort> secondaries() {
        return get(MpftKeys.SECONDARIES);
    }

    /** The administrator's certificate chain file as configured (relative to the data folder), or null. */
    public Path tlsCertificate() {
        return get(MpftKeys.TLS_CERTIFICATE);
    }

    /** The private key file of {@link #tlsCertificate()} as configured (relative to the data folder), or null. */
    public Path tlsKey() {
        return get(MpftKeys.TLS_KEY);
    }

    /** The cluster secret file as configured (relative to the data folder), or null. */
    public Path clusterSecretFile() {
        return get(MpftKeys.CLUSTER_SECRET_FILE);
    }

    /** The addresses a secondary accepts cluster links from. */
    public List<InetAddress> acceptPrimaries() {
        return get(MpftKeys.ACCEPT_PRIMARIES);
    }

    /** How long a secondary accepts a client's ticket from now at most ({@code mpft.cluster.max-ticket-lifetime}). */
    public Duration maxTicketLifetime() {
        return get(MpftKeys.MAX_TICKET_LIFETIME);
    }

    /** The congestion controller this instance sends with ({@code mpft.congestion-control}). */
    public CongestionControl congestionControl() {
        return get(MpftKeys.CONGESTION_CONTROL);
    }

    /** Silence after which a primary counts a cluster link as down ({@code mpft.cluster.link-timeout}). */
    public Duration clusterLinkTimeout() {
        return get(MpftKeys.CLUSTER_LINK_TIMEOUT);
    }

    /** How long a secondary has to confirm a registration ({@code mpft.cluster.register-timeout}). */
    public Duration clusterRegisterTimeout() {
        return get(MpftKeys.CLUSTER_REGISTER_TIMEOUT);
    }

    /** The advertised client-facing host, or null to use the bind address. */
    public String advertiseHost() {
        HostPort advertised = get(MpftKeys.ADVERTISE_ADDRESS);
        return advertised == null ? null : advertised.host();
    }

    /** The advertised client-facing port, or 0 to use the bound port. */
    public int advertisePort() {
        HostPort advertised = get(MpftKeys.ADVERTISE_ADDRESS);
        return advertised == null ? 0 : advertised.port();
    }

    /** The instance's send-rate cap, bytes per second; 0 for none. */
    public long maxSendRate() {
        return get(MpftKeys.MAX_SEND_RATE);
    }

    /** The largest UDP payload, bytes; 0 for {@code auto} ({@link org.mpft.transport.DatagramSizes}). */
    public int maxUdpPayload() {
        return get(MpftKeys.MAX_UDP_PAYLOAD);
    }

    /** Failures of one chunk tolerated before a transfer fails. */
    public int chunkRetries() {
        return get(MpftKeys.CHUNK_RETRIES);
    }

    /** When a secondary's chunk in flight times out ({@code mpft.chunk-timeout.min}, {@code .factor}). */
    public ChunkTimeoutPolicy chunkTimeouts() {
        return chunkTimeouts;
    }

    /** The first lock after too many failed logins (zero: no back-off). */
    public Duration authBackoffBase() {
        return get(MpftKeys.AUTH_BACKOFF_BASE);
    }

    /** The longest failed-login lock. */
    public Duration authBackoffMax() {
        return get(MpftKeys.AUTH_BACKOFF_MAX);
    }

    /** Failed logins of a user or address before the first lock. */
    public int authBackoffFreeFailures() {
        return get(MpftKeys.AUTH_BACKOFF_FREE);
    }

    /** How long after its last failure a user's or address's failures are forgotten. */
    public Duration authBackoffForget() {
        return get(MpftKeys.AUTH_BACKOFF_FORGET);
    }

    /** The most connections not logged in yet, in all. */
    public int maxUnauthenticated() {
        return get(MpftKeys.MAX_UNAUTHENTICATED);
    }

    /** The most connections not logged in yet from one IPv4 address or IPv6 /64. */
    public int maxUnauthenticatedPerSource() {
        return get(MpftKeys.MAX_UNAUTHENTICATED_PER_SOURCE);
    }

    /** How long a connection has to log in. */
    public Duration loginTimeout() {
        return get(MpftKeys.LOGIN_TIMEOUT);
    }

    /** How long a session offer's login token is valid. */
    public Duration loginTokenLifetime() {
        return get(MpftKeys.LOGIN_TOKEN_LIFETIME);
    }

    /** The most unused session-offer login tokens one user may hold. */
    public int maxLoginTokensPerUser() {
        return get(MpftKeys.MAX_LOGIN_TOKENS_PER_USER);
    }

    /** When new connections' addresses are validated with a QUIC Retry. */
    public AddressValidation addressValidation() {
        return get(MpftKeys.ADDRESS_VALIDATION);
    }

    /** The most live sessions of one user. */
    public int maxSessionsPerUser() {
        return get(MpftKeys.MAX_SESSIONS_PER_USER);
    }

    /** The most OPEN requests one session may make. */
    public int maxTransfersPerSession() {
        return get(MpftKeys.MAX_TRANSFERS_PER_SESSION);
    }

    /** The most transfers in progress at once on one connection. */
    public int maxConcurrentTransfers() {
        return get(MpftKeys.MAX_CONCURRENT_TRANSFERS);
    }

    /** The most LIST requests one session may make. */
    public int maxListsPerSession() {
        return get(MpftKeys.MAX_LISTS_PER_SESSION);
    }

    /** The most streams a client may have open at once on its connection. */
    public int maxStreamsPerConnection() {
        return get(MpftKeys.MAX_STREAMS_PER_CONNECTION);
    }

    /** The most chunk bytes one connection may have in flight (also the QUIC window granted), bytes. */
    public long maxBytesInFlight() {
        return get(MpftKeys.MAX_BYTES_IN_FLIGHT);
    }

    /** The most chunk bytes all connections of the instance may have in flight together, bytes. */
    public long maxBytesHeld() {
        return get(MpftKeys.MAX_BYTES_HELD);
    }

    /** True when {@code mpft.chunk-size} was set: every transfer uses it, no adaptive choice. */
    public boolean chunkSizeFixed() {
        return chunkSizeFixed;
    }

    /** The smallest chunk size chosen, bytes. */
    public int chunkSizeMin() {
        return get(MpftKeys.CHUNK_SIZE_MIN);
    }

    /** The largest chunk size chosen, bytes. */
    public int chunkSizeMax() {
        return get(MpftKeys.CHUNK_SIZE_MAX);
    }

    /** The chunk cache's bound, bytes; 0 when disabled. */
    public long cacheMaxBytes() {
        return get(MpftKeys.CACHE_MAX_BYTES);
    }

    /**
     * Chunks a sender reads ahead of the ones it is sending, per transfer and path (0 = no read-ahead). All
     * read-ahead buffers of the instance together stay below {@link #maxBytesInFlight()}.
     */
    public int prefetch() {
        return get(MpftKeys.PREFETCH);
    }

    /** The most bytes of chunk digests a primary keeps in its data folder (0 = digests kept in memory only). */
    public long digestsMaxBytes() {
        return get(MpftKeys.DIGESTS_MAX_BYTES);
    }

    /** The encoding of compressed chunks, or {@link Encoding#RAW} when compression is off. */
    public Encoding compression() {
        return get(MpftKeys.COMPRESSION);
    }

    @Override
    public String toString() {
        return "MpftSettings[bind=" + bind().getHostAddress() + ", port=" + port() + ", name=" + name()
                + ", chunkSize=" + chunkSize() + ", maxFileSize=" + maxFileSize() + ", window=" + window()
                + ", checksum=" + checksum() + ", strategy=" + strategy().settingName() + ", idleTimeout="
                + idleTimeout() + ", maxSessions=" + maxSessions() + ", ioThreads=" + ioThreads()
                + ", digestThreads=" + digestThreads()
                + ", authFailureDelay=" + authFailureDelay() + ", role=" + role().name().toLowerCase(Locale.ROOT)
                + ", secondaries=" + secondaries() + ", advertise="
                + (advertiseHost() == null ? "-" : advertiseHost() + ":" + advertisePort()) + ", maxSendRate="
                + maxSendRate() + ", maxUdpPayload=" + (maxUdpPayload() == 0 ? "auto" : maxUdpPayload())
                + ", chunkRetries=" + chunkRetries() + ", chunkTimeouts=" + chunkTimeouts
                + ", chunkSize=[" + chunkSizeMin() + ", " + chunkSizeMax()
                + "], cacheMaxBytes=" + cacheMaxBytes() + ", compression=" + compression() + ", prefetch="
                + prefetch() + ", digestsMaxBytes=" + digestsMaxBytes() + "]";
    }
}
