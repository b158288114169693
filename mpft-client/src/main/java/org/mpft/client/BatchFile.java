package org.mpft.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file of a {@link BatchRequest}: which remote file goes where, and what the server's listing said of it.
 * The size and the modification time decide whether a file already on disk is finished and can be skipped
 * ({@link BatchRequest#resume()}).
 *
 * @param remotePath     the file, relative to the user's root ({@link org.mpft.protocol.RemotePath} rules)
 * @param output         where the file goes; its parent folders are created
 * @param size           the file's size in bytes as listed, or -1 when unknown (such a file is never skipped)
 * @param modifiedMillis the file's modification time as listed, milliseconds since the epoch, or -1 when unknown
 * @param permissions    the POSIX mode bits (0 to 07777) to give the output with
 *                       {@link BatchRequest#preserveModes()}, or -1 when unknown
 */
public record BatchFile(String remotePath, Path output, long size, long modifiedMillis, int permissions) {

    /** Checks the fields. */
    public BatchFile {
        Objects.requireNonNull(remotePath, "remotePath");
        Objects.requireNonNull(output, "output");
        if (permissions < -1 || permissions > 07777) {
            throw new IllegalArgumentException("permissions out of range (0 to 07777 or -1): "
                    + Integer.toOctalString(permissions) + " for " + remotePath);
        }
    }

    /** A file whose size, time and permissions are unknown: it is always fetched. */
    public BatchFile(String remotePath, Path output) {
        this(remotePath, output, -1, -1, -1);
    }
}
