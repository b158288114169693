package org.mpft.cache;

import java.util.Objects;

/**
 * One version of one file: its path, size and modification time. A file that is rewritten gets a new size or
 * a new modification time, hence a new identity, so nothing cached under the old identity can be served for
 * it.
 *
 * <p>The caches compare identities with {@link #equals(Object)}; callers should build the path the same way
 * every time (for example the host's resolved real path), since two spellings of one file are two identities
 * (wasted memory, never wrong bytes). A file rewritten within the same millisecond with the same size keeps
 * its identity: the same limit as any size + mtime check, which is why chunk digests are checked end to end.
 *
 * @param path        the file's path as the caller names it, never {@code null} or empty
 * @param size        the file's size in bytes, {@code >= 0}
 * @param mtimeMillis the file's last modification time, milliseconds since the epoch (any value)
 */
public record FileIdentity(String path, long size, long mtimeMillis) {

    /**
     * Creates an identity.
     *
     * @param path        the file's path, never {@code null} or empty
     * @param size        the file's size, bytes, {@code >= 0}
     * @param mtimeMillis the file's last modification time, milliseconds since the epoch
     * @throws NullPointerException     if {@code path} is {@code null}
     * @throws IllegalArgumentException if {@code path} is empty or {@code size} is negative
     */
    public FileIdentity {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " < 0");
        }
    }
}
