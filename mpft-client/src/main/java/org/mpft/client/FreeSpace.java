package org.mpft.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
}
