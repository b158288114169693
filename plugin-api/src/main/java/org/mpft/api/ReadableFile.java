package org.mpft.api;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file opened for reading by {@link FileAccess#openForRead}. Positional reads are thread-safe, so one
 * open file can serve many chunks at once.
 */
public interface ReadableFile extends Closeable {

    /** The file's size in bytes, fixed when it was opened. */
    long size();

    /** The file's last modification time in milliseconds since the epoch, fixed when it was opened. */
    long lastModifiedMillis();

    /**
     * The file's identity as it is now, not as it was opened: the plugin takes it once when it starts reading
     * and again before and after every chunk it reads, and ends the transfer (FILE_CHANGED) when it differs,
     * so that a file written while it is downloaded never lands as a mix of two versions. It should cost no
     * more than one {@code stat} ({@link FileIdentity#of(java.nio.file.Path)} on the opened path does).
     *
     * <p>The default gives the size and time fixed at open, which never change: a host that cannot look at
     * its file again reports no change, and the plugin then relies on the size and time it saw at open.
     *
     * @throws java.nio.file.NoSuchFileException when the file is no longer at its path (the plugin counts it
     *                                           as a change)
     * @throws IOException                       when the host cannot tell
     */
    default FileIdentity identity() throws IOException {
        return new FileIdentity(size(), java.nio.file.attribute.FileTime.fromMillis(lastModifiedMillis()), null, null);
    }

    /**
     * Reads bytes at a position without moving any shared cursor (like {@code FileChannel.read(dst, pos)}).
     *
     * @param dst      where the bytes go, from its position up to its limit
     * @param position the file offset in bytes
     * @return the number of bytes read, or -1 at the end of the file
     * @throws IOException when the read fails
     */
    int read(ByteBuffer dst, long position) throws IOException;
}
