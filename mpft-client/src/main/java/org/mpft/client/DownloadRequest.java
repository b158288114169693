package org.mpft.client;

import java.time.Duration;
import java.nio.file.Path;
import java.util.Objects;
import org.mpft.protocol.Strategy;
import org.mpft.transport.CertificateAuthorities;

/**
 * One download: which file from which server, where to put it, and how. Immutable; build one with the
 * canonical constructor or with {@link #builder}, which fills in the defaults:
 * <pre>{@code
 * DownloadRequest request = DownloadRequest.builder("alice", "files.example.org", "data/big.iso", Path.of("big.iso"))
 *         .credentials(new Credentials.Key(OpenSshIdentity.load(keyFile)))
 *         .hostKeys(new KnownHostsFile(knownHosts, KnownHostsFile.UnknownServerPolicy.REFUSE))
 *         .build();
 * }</pre>
 *
 * @param user        the user name on the server
 * @param host        the primary's host name or address
 * @param port        the primary's UDP port
 * @param remotePath  the file, relative to the user's root ({@link org.mpft.protocol.RemotePath} rules)
 * @param output      where the file goes; {@code <output>.mpft-part} and {@code <output>.mpft-state}
 *                    hold it until it is complete and verified
 * @param credentials how to log in
 * @param hostKeys    which server certificates to trust: the primary's unless {@code certificateAuthorities}
 *                    is given, and the secondaries the primary vouches for
 * @param strategy    how to spread chunks, or {@link Strategy#SERVER_DEFAULT}
 * @param resume      false to throw away a partial download and start over
 * @param retries     how often one chunk is fetched again before it moves to another path (default 3)
 * @param compress    ask for per-chunk compression where it helps
 * @param busyWait    how long to keep asking a busy server again (one that answers LIMIT_EXCEEDED, its
 *                    sessions full) before failing with its error (default 60 s; zero = fail at once)
 * @param certificateAuthorities null to pin the primary's certificate with {@code hostKeys} (the default);
 *                    else the authorities the primary's certificate chain must lead to, its certificate naming
 *                    {@code host} (an IP address or DNS name of the certificate), with no pinning and no
 *                    {@code known_hosts} entry for the primary
 * @param hashLocally true to hash the file's SHA-256 from the bytes written ({@code --expect-sha256}); false (the
 *                    default) to take it, in a multi-path download, from the primary, which reads it with the chunk
 *                    digests every chunk is checked against: then each byte is hashed once on this side, or not
 *                    at all
 */
public record DownloadRequest(String user, String host, int port, String remotePath, Path output,
                              Credentials credentials, HostKeyVerifier hostKeys, Strategy strategy,
                              boolean resume, int retries, boolean compress, Duration busyWait,
                              CertificateAuthorities certificateAuthorities, boolean hashLocally) {

    /** The default for {@link #busyWait()}: 60 s. */
    public static final Duration DEFAULT_BUSY_WAIT = Duration.ofSeconds(60);

    /** The default for {@link #retries()}. */
    public static final int DEFAULT_RETRIES = 3;

    /** The default UDP port of an mpft server: {@value}. */
    public static final int DEFAULT_PORT = 7300;

    /** Checks the fields. */
    public DownloadRequest {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(remotePath, "remotePath");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(hostKeys, "hostKeys");
        Objects.requireNonNull(strategy, "strategy");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries < 0: " + retries);
        }
        Objects.requireNonNull(busyWait, "busyWait");
        if (busyWait.isNegative()) {
            throw new IllegalArgumentException("busyWait < 0: " + busyWait);
        }
    }

    /** A request that takes the file's digest from the primary where it offers one. */
    public DownloadRequest(String user, String host, int port, String remotePath, Path output,
                           Credentials credentials, HostKeyVerifier hostKeys, Strategy strategy,
                           boolean resume, int retries, boolean compress, Duration busyWait,
                           CertificateAuthorities certificateAuthorities) {
        this(user, host, port, remotePath, output, credentials, hostKeys, strategy, resume, retries, compress,
                busyWait, certificateAuthorities, false);
    }

    /** A request that pins the primary's certificate with {@code hostKeys}. */
    public DownloadRequest(String user, String host, int port, String remotePath, Path output,
                           Credentials credentials, HostKeyVerifier hostKeys, Strategy strategy,
                           boolean resume, int retries, boolean compress, Duration busyWait) {
        this(user, host, port, remotePath, output, credentials, hostKeys, strategy, resume, retries, compress,
                busyWait, null);
    }

    /** A request that waits {@link #DEFAULT_BUSY_WAIT} for a busy server. */
    public DownloadRequest(String user, String host, int port, String remotePath, Path output,
                           Credentials credentials, HostKeyVerifier hostKeys, Strategy strategy,
                           boolean resume, int retries, boolean compress) {
        this(user, host, port, remotePath, output, credentials, hostKeys, strategy, resume, retries, compress,
                DEFAULT_BUSY_WAIT);
    }

    /**
     * Where the bytes of an unfinished download are kept: {@code <output>.mpft-part}, renamed to the output
     * once every chunk is held and verified.
     */
    public Path partFile() {
        return ChunkManager.sibling(output, ChunkManager.PART_SUFFIX);
    }

    /**
     * Which chunks of {@link #partFile()} are held, kept so that a download can resume after a crash or a
     * cancel: {@code <output>.mpft-state}. Deleted when the download completes.
     */
    public Path stateFile() {
        return ChunkManager.sibling(output, ChunkManager.STATE_SUFFIX);
    }

    /** {@code host:port}, as shown to the user and as the key of {@code known_hosts}. */
    public String server() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Starts a request with the defaults: port {@value #DEFAULT_PORT}, {@link Strategy#SERVER_DEFAULT}, resume on,
     * {@value #DEFAULT_RETRIES} retries, no compression. Credentials and host keys have no default.
     *
     * @param user       the user name on the server
     * @param host       the primary's host name or address
     * @param remotePath the file, relative to the user's root
     * @param output     where the file goes
     */
    public static Builder builder(String user, String host, String remotePath, Path output) {
        return new Builder(user, host, remotePath, output);
    }

    /** Collects the options of a {@link DownloadRequest}. Not thread-safe. */
    public static final class Builder {
        private final String user;
        private final String host;
        private final String remotePath;
        private final Path output;
        private int port = DEFAULT_PORT;
        private Credentials credentials;
        private HostKeyVerifier hostKeys;
        private Strategy strategy = Strategy.SERVER_DEFAULT;
        private boolean resume = true;
        private int retries = DEFAULT_RETRIES;
        private boolean compress;
        private Duration busyWait = DEFAULT_BUSY_WAIT;
        private CertificateAuthorities certificateAuthorities;
        private boolean hashLocally;

        private Builder(String user, String host, String remotePath, Path output) {
            this.user = Objects.requireNonNull(user, "user");
            this.host = Objects.requireNonNull(host, "host");
            this.remotePath = Objects.requireNonNull(remotePath, "remotePath");
            this.output = Objects.requireNonNull(output, "output");
        }

        /** The primary's UDP port (default {@value DownloadRequest#DEFAULT_PORT}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How to log in: a password or a key (required). */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Which server certificates to trust, e.g. a {@link KnownHostsFile} (required). */
        public Builder hostKeys(HostKeyVerifier hostKeys) {
            this.hostKeys = Objects.requireNonNull(hostKeys, "hostKeys");
            return this;
        }

        /** How to spread chunks over the paths (default {@link Strategy#SERVER_DEFAULT}: the server's setting). */
        public Builder strategy(Strategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** False to throw away a partial download and start over (default true). */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** How often one chunk is fetched again before it moves to another path (default {@value DownloadRequest#DEFAULT_RETRIES}). */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** How long to keep asking a busy server again (default 60 s; zero = fail at once). */
        public Builder busyWait(Duration busyWait) {
            this.busyWait = Objects.requireNonNull(busyWait, "busyWait");
            return this;
        }

        /**
         * Verify the primary's certificate chain against these authorities, with its host name, instead of
         * pinning it with the host keys (default: none, pinning).
         */
        public Builder certificateAuthorities(CertificateAuthorities certificateAuthorities) {
            this.certificateAuthorities = Objects.requireNonNull(certificateAuthorities, "certificateAuthorities");
            return this;
        }

        /** Ask for per-chunk compression where it shrinks the chunk (default false). */
        public Builder compress(boolean compress) {
            this.compress = compress;
            return this;
        }

        /** Hash the file from the bytes written, never take the primary's digest (default false). */
        public Builder hashLocally(boolean hashLocally) {
            this.hashLocally = hashLocally;
            return this;
        }

        /**
         * The request.
         *
         * @throws NullPointerException     when the credentials or the host keys are missing
         * @throws IllegalArgumentException when the port or the retries are out of range
         */
        public DownloadRequest build() {
            return new DownloadRequest(user, host, port, remotePath, output, credentials, hostKeys, strategy, resume,
                    retries, compress, busyWait, certificateAuthorities, hashLocally);
        }
    }
}
