package org.mpft.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Many files from one server in one run. The connection (user, host, port, credentials, host keys,
 * certificate authorities, strategy, compression, retries, busy wait) is taken from {@code connection}, a
 * {@link DownloadRequest} used as a template: its {@code remotePath}, {@code output} and {@code resume} are not
 * used (each file's come from its {@link BatchFile} and from {@link #resume()}). Build one with
 * {@link #builder}:
 * <pre>{@code
 * DownloadRequest connection = DownloadRequest.builder("alice", "files.example.org", ".", out)
 *         .credentials(credentials).hostKeys(knownHosts).build();
 * BatchRequest batch = BatchRequest.builder(connection, files).sessions(4).build();
 * }</pre>
 *
 * @param connection    the server and how to reach it and log in (a template, see above)
 * @param files         the files, each with its own output; no two with the same output
 * @param sessions      logged-in sessions working at once, each fetching one file after another
 *                      (1 to {@value #MAX_SESSIONS}; default {@value #DEFAULT_SESSIONS})
 * @param failFast      stop at the first failed file: no file is started any more and the running ones are
 *                      cancelled (their partial downloads kept); false to let the other files go on
 * @param preserveModes give each output its file's {@link BatchFile#permissions()} (where known and where the
 *                      file system has POSIX permissions)
 * @param resume        skip the files already complete on disk and continue partial ones from their
 *                      {@code .mpft-part}; false to fetch everything again
 * @param transfersPerSession files in flight at once on each session, each on a stream of its own, when the
 *                      server speaks transfer streams (else one after another): 1 to
 *                      {@value #MAX_TRANSFERS_PER_SESSION}; default {@value #DEFAULT_TRANSFERS_PER_SESSION}
 */
public record BatchRequest(DownloadRequest connection, List<BatchFile> files, int sessions, boolean failFast,
                           boolean preserveModes, boolean resume, int transfersPerSession) {

    /** The default for {@link #sessions()}. */
    public static final int DEFAULT_SESSIONS = 4;

    /** The most sessions a batch may use. */
    public static final int MAX_SESSIONS = 16;

    /** The default for {@link #transfersPerSession()}. */
    public static final int DEFAULT_TRANSFERS_PER_SESSION = 4;

    /** The most files in flight at once on one session. */
    public static final int MAX_TRANSFERS_PER_SESSION = 16;

    /** Checks the fields and freezes the list. */
    public BatchRequest {
        Objects.requireNonNull(connection, "connection");
        files = List.copyOf(Objects.requireNonNull(files, "files"));
        if (sessions < 1 || sessions > MAX_SESSIONS) {
            throw new IllegalArgumentException("sessions out of range (1 to " + MAX_SESSIONS + "): " + sessions);
        }
        if (transfersPerSession < 1 || transfersPerSession > MAX_TRANSFERS_PER_SESSION) {
            throw new IllegalArgumentException("transfers per session out of range (1 to " + MAX_TRANSFERS_PER_SESSION
                    + "): " + transfersPerSession);
        }
        java.util.Map<Path, String> outputs = new java.util.HashMap<>();
        for (BatchFile file : files) {
            Path output = file.output().toAbsolutePath().normalize();
            String other = outputs.putIfAbsent(output, file.remotePath());
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + file.remotePath() + " of the batch both go to "
                        + output);
            }
        }
    }

    /** The download request of one file: the connection's, with the file's path and output. */
    DownloadRequest requestFor(BatchFile file) {
        DownloadRequest c = connection;
        return new DownloadRequest(c.user(), c.host(), c.port(), file.remotePath(), file.output(), c.credentials(),
                c.hostKeys(), c.strategy(), resume, c.retries(), c.compress(), c.busyWait(),
                c.certificateAuthorities(), c.hashLocally());
    }

    /**
     * Starts a batch request with the defaults: {@value #DEFAULT_SESSIONS} sessions of
     * {@value #DEFAULT_TRANSFERS_PER_SESSION} files in flight each, no fail-fast, modes not preserved, resume on.
     */
    public static Builder builder(DownloadRequest connection, List<BatchFile> files) {
        return new Builder(connection, files);
    }

    /** Collects the options of a {@link BatchRequest}. Not thread-safe. */
    public static final class Builder {
        private final DownloadRequest connection;
        private final List<BatchFile> files;
        private int sessions = DEFAULT_SESSIONS;
        private boolean failFast;
        private boolean preserveModes;
        private boolean resume = true;
        private int transfersPerSession = DEFAULT_TRANSFERS_PER_SESSION;

        private Builder(DownloadRequest connection, List<BatchFile> files) {
            this.connection = Objects.requireNonNull(connection, "connection");
            this.files = Objects.requireNonNull(files, "files");
        }

        /** Logged-in sessions working at once (default {@value BatchRequest#DEFAULT_SESSIONS}). */
        public Builder sessions(int sessions) {
            this.sessions = sessions;
            return this;
        }

        /**
         * Files in flight at once on each session (default {@value BatchRequest#DEFAULT_TRANSFERS_PER_SESSION});
         * a server without transfer streams gets them one after another.
         */
        public Builder transfersPerSession(int transfersPerSession) {
            this.transfersPerSession = transfersPerSession;
            return this;
        }

        /** Stop at the first failed file (default false). */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /** Give the outputs the files' POSIX permissions (default false). */
        public Builder preserveModes(boolean preserveModes) {
            this.preserveModes = preserveModes;
            return this;
        }

        /** Skip finished files and continue partial ones (default true). */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalArgumentException when the sessions or the transfers per session are out of range, or two
         *                                  files share an output
         */
        public BatchRequest build() {
            return new BatchRequest(connection, files, sessions, failFast, preserveModes, resume,
                    transfersPerSession);
        }
    }
}
