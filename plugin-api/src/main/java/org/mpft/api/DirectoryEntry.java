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
 * @param permissions    the POSIX permission bits of what the entry leads to ({@code 0} to {@code 07777}:
 *                       set-user-ID, set-group-ID, sticky, then read/write/execute for owner, group and others,
 *                       as {@code stat}'s {@code st_mode & 07777}), or {@link #UNKNOWN_PERMISSIONS} when the
 *                       host's storage has none
 */
public record DirectoryEntry(String name, Type type, long size, long modifiedMillis, int permissions) {

    /** The {@code permissions} of an entry whose storage has no POSIX permission bits. */
    public static final int UNKNOWN_PERMISSIONS = -1;

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
        if (permissions != UNKNOWN_PERMISSIONS && (permissions < 0 || permissions > 07777)) {
            throw new IllegalArgumentException("permissions are -1 (unknown) or 0 to 07777, got 0"
                    + Integer.toOctalString(permissions));
        }
    }

    /**
     * An entry without permission bits ({@link #UNKNOWN_PERMISSIONS}), for hosts whose storage has none.
     *
     * @param name           the entry's name in its folder
     * @param type           a regular file or a folder
     * @param size           the size in bytes
     * @param modifiedMillis the last modification time, in ms since the epoch
     */
    public DirectoryEntry(String name, Type type, long size, long modifiedMillis) {
        this(name, type, size, modifiedMillis, UNKNOWN_PERMISSIONS);
    }
}
