package org.mpft.api;

import java.io.IOException;

/**
 * The host's files, seen through the host's own access rules. Implementations must be thread-safe and
 * must give, for a user and a path, the same answer that the host's own protocol gives.
 */
public interface FileAccess {

    /**
     * Resolves {@code path} inside the user's root, checks the user's read right and opens the file.
     *
     * @param user the authenticated user
     * @param path a relative path inside the user's root, {@code /}-separated (a leading {@code /} means
     *             the user's root, as in SFTP)
     * @return the open file; the caller closes it
     * @throws InvalidPath  when the name is malformed or resolves outside the user's root
     * @throws NoSuchFile   when there is no regular file at that path
     * @throws AccessDenied when the user may not read it
     * @throws IOException  when the host cannot open it for another reason
     */
    ReadableFile openForRead(Principal user, String path) throws HostException, IOException;
}
