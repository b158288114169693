package org.mpft.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How much room a folder's file system has left: asked once, before a download writes its first byte. */
@FunctionalInterface
interface FreeSpace {

    /** The file store's usable space ({@link java.nio.file.FileStore#getUsableSpace()}). */
    FreeSpace FILE_STORE = folder -> Files.getFileStore(folder).getUsableSpace();

    /**
     * @param folder the folder the download writes into
     * @return bytes that can still be written there
     */
    long usableBytes(Path folder) throws IOException;
}
