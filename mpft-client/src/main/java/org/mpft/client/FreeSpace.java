package org.mpft.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** How much room a folder's file system has left: asked once, before a download writes its first byte. */
@FunctionalInterface
interface FreeSpace {

    /**
     * The usable space of the folder's file system, by one {@code statvfs} ({@link java.io.File#getUsableSpace()}):
     * {@code Files.getFileStore} would also look the folder's mount up in the mount table, a cost on every file of
     * a tree. A folder that is not there is an error, not 0 bytes free.
     */
    FreeSpace FILE_STORE = folder -> {
        long usable = folder.toFile().getUsableSpace();
        if (usable == 0 && !Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "no such folder");
        }
        return usable;
    };

    /**
     * @param folder the folder the download writes into
     * @return bytes that can still be written there
     */
    long usableBytes(Path folder) throws IOException;

    /**
     * Checks that {@code output}'s folder has room for {@code needed} bytes, counting {@code reclaimable} bytes that
     * the download frees first (an old part file it starts over).
     *
     * @throws MpftException {@link ErrorCode#INSUFFICIENT_SPACE} naming the file, the bytes needed and those free
     */
    default void requireRoom(Path output, long needed, long reclaimable) throws IOException, MpftException {
        Path folder = output.getParent();
        long free = usableBytes(folder) + reclaimable;
        if (needed > free) {
            throw new MpftException(ErrorCode.INSUFFICIENT_SPACE, "not enough disk space for " + output + ": "
                    + needed + " bytes needed, " + free + " bytes free in " + folder);
        }
    }
}
