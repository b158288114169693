package org.mpft.sshd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import org.mpft.api.DirectoryEntry;

/**
 * The POSIX permission bits of a file for a listing entry ({@link DirectoryEntry#permissions()}): the whole
 * {@code st_mode & 07777} where the file system gives it (the JDK's {@code unix:mode} attribute, with the
 * set-user-ID, set-group-ID and sticky bits), the nine read/write/execute bits where it only has the POSIX
 * view, and {@link DirectoryEntry#UNKNOWN_PERMISSIONS} where it has neither (Windows).
 */
public final class FileModes {

    private FileModes() {
    }

    /**
     * The permission bits of {@code real}, not following a link (the caller has resolved it already).
     *
     * @param real the resolved file or folder
     * @return {@code 0} to {@code 07777}, or {@link DirectoryEntry#UNKNOWN_PERMISSIONS}
     * @throws IOException when the file cannot be read (gone, refused)
     */
    public static int of(Path real) throws IOException {
        try {
            Object mode = Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer bits) {
                return bits & 07777;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no "unix" view on this file system: try the POSIX one
        }
        try {
            PosixFileAttributes posix = Files.readAttributes(real, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int bits = 0;
            for (PosixFilePermission permission : posix.permissions()) {
                // OWNER_READ is the first constant and 0400 the highest of the nine bits
                bits |= 0400 >> permission.ordinal();
            }
            return bits;
        } catch (UnsupportedOperationException e) {
            return DirectoryEntry.UNKNOWN_PERMISSIONS;
        }
    }
}
