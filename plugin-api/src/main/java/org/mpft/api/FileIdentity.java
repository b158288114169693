package org.mpft.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;

/**
 * What tells one version of a file from another, as one {@code stat} sees it: two identities of the same file
 * are equal when nothing the host can see has changed. A write in place changes the modification and change
 * times (and perhaps the size); a file replaced under its name has another file key.
 *
 * @param size     the size in bytes
 * @param modified the last modification time, at the file system's resolution
 * @param changed  the status change time ({@code ctime}), or null where the host cannot tell
 * @param fileKey  what identifies the file on its file system (device and inode on Unix, as
 *                 {@link BasicFileAttributes#fileKey()}), or null where the host cannot tell; it must have a
 *                 value-based {@code equals}
 */
public record FileIdentity(long size, FileTime modified, FileTime changed, Object fileKey) {

    /** Checks the values. */
    public FileIdentity {
        Objects.requireNonNull(modified, "modified");
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    /**
     * The identity of the file at {@code file} now, a symbolic link not followed: size, modification time, file
     * key, and the change time where the platform has the {@code unix} attribute view. A helper for hosts
     * whose files are on a file system the JDK can read attributes from.
     *
     * @throws java.nio.file.NoSuchFileException when nothing is at that path any more
     * @throws IOException                       when the attributes cannot be read
     */
    public static FileIdentity of(Path file) throws IOException {
        BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileTime changed = null;
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            changed = unix.get("ctime") instanceof FileTime time ? time : null;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no "unix" view on this platform or file system: size, mtime and file key must do
        }
        return new FileIdentity(basic.size(), basic.lastModifiedTime(), changed, basic.fileKey());
    }
}
