package org.mpft.plugin.send;

import java.util.Objects;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkPlan;

/**
 * One download of one open file: its id, the file, how it is cut and checked. Closing it closes the file.
 * Every read of the file is bracketed by a look at its identity ({@link IdentityCheckedFile}): a file that
 * changes while it is served fails the read with {@link FileChangedException}.
 *
 * @param id        the transfer id sent in META and in every chunk header
 * @param user      who downloads
 * @param path      the requested path, as the client sent it
 * @param file      the open file (kept with its reads checked against its identity)
 * @param plan      how the file is cut into chunks
 * @param checksum  how every chunk is checked
 * @param startNanos when META was sent ({@link System#nanoTime()})
 */
public record Transfer(long id, Principal user, String path, ReadableFile file, ChunkPlan plan, ChecksumAlgorithm checksum,
                long startNanos) implements AutoCloseable {

    /** Checks the values. */
    public Transfer {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(checksum, "checksum");
        file = IdentityCheckedFile.of(file, path);
    }

    /**
     * The file's version beyond size and mtime (change time and file key, where the host has them), for keys of
     * what is cached per file version: a file rewritten with its mtime set back is another version.
     *
     * @throws FileChangedException when the file moved since it was opened
     */
    public String version() throws java.io.IOException {
        return ((IdentityCheckedFile) file).versionTag();
    }

    /** Closes the file; safe to call more than once (the host's files close idempotently). */
    @Override
    public void close() {
        try {
            file.close();
        } catch (java.io.IOException | RuntimeException e) {
            // nothing to do: the file was only read
        }
    }
}
