package org.mpft.plugin.send;

import java.io.IOException;

/**
 * The file being served changed since it was opened (its {@link org.mpft.api.FileIdentity} moved): what was read
 * may mix two versions, so nothing more of it is sent and the transfer ends with FILE_CHANGED. The message
 * names the requested path only, never a path of the server.
 */
public final class FileChangedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param requestedPath the path as the client asked for it */
    public FileChangedException(String requestedPath) {
        super(requestedPath + " changed on the server while it was being sent");
    }
}
