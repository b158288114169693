package org.mpft.client;

import java.nio.file.Path;
import java.util.Objects;
import org.mpft.protocol.Strategy;

/**
 * One download: which file from which server, where to put it, and how.
 *
 * @param user        the user name on the server
 * @param host        the primary's host name or address
 * @param port        the primary's UDP port
 * @param remotePath  the file, relative to the user's root ({@link org.mpft.protocol.RemotePath} rules)
 * @param output      where the file goes; {@code <output>.mpft-part} and {@code <output>.mpft-state}
 *                    hold it until it is complete and verified
 * @param credentials how to log in
 * @param hostKeys    which server certificates to trust
 * @param strategy    how to spread chunks, or {@link Strategy#SERVER_DEFAULT}
 * @param resume      false to throw away a partial download and start over
 * @param retries     how often one chunk is fetched again before it moves to another path (default 3)
 * @param compress    ask for per-chunk compression where it helps
 */
public record DownloadRequest(String user, String host, int port, String remotePath, Path output,
                              Credentials credentials, HostKeyVerifier hostKeys, Strategy strategy,
                              boolean resume, int retries, boolean compress) {

    /** The default for {@link #retries()}. */
    public static final int DEFAULT_RETRIES = 3;

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
}
