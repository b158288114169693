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
     * Reads bytes at a position without moving any shared cursor (like {@code FileChannel.read(dst, pos)}).
     *
     * @param dst      where the bytes go, from its position up to its limit
     * @param position the file offset in bytes
     * @return the number of bytes read, or -1 at the end of the file
     * @throws IOException when the read fails
     */
    int read(ByteBuffer dst, long position) throws IOException;
}
