package org.mpft.api;

import java.util.Objects;

/**
 * One entry of a folder listing ({@link FileAccess#list}), as the user may see it: a symbolic link is
 * reported as what it leads to (inside the user's root), never as a link.
 *
 * @param name           the entry's name in its folder (one segment, no {@code /})
 * @param type           a regular file or a folder
 * @param size           the size in bytes (a file's length; for a folder what the file system says)
 * @param modifiedMillis the last modification time, in ms since the epoch
 */
public record DirectoryEntry(String name, Type type, long size, long modifiedMillis) {

    /** What an entry is. */
    public enum Type {
        /** A regular file. */
        FILE,
        /** A folder. */
        DIRECTORY
    }

    /** Checks the values. */
    public DirectoryEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("an entry name is one non-empty segment: " + name);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }
}
