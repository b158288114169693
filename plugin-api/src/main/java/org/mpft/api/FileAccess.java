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

    /**
     * Lists one page of a folder the user may read, by the host's own rules, in ascending order of the
     * entries' names ({@link String#compareTo}).
     *
     * <p>What is listed is what the host's own protocol would let the user open: the folder itself is refused
     * ({@link AccessDenied}) where the host's protocol refuses to open it; entries the user may neither read
     * (files) nor list (folders) are left out, as are symbolic links that lead outside the user's root or
     * nowhere, files the host would refuse to serve (for instance with several hard links) and anything that
     * is neither a regular file nor a folder. A symbolic link inside the root is reported as what it leads
     * to, under the link's name. The folder is not a snapshot: entries added or removed between two pages
     * may be missed or shown.
     *
     * <p>The default answers {@link UnsupportedOperationException}: a host that predates listing still
     * compiles and serves downloads, and the plugin tells the client that this server cannot list.
     *
     * @param user  the authenticated user
     * @param path  a folder inside the user's root, as for {@link #openForRead}; {@code ""} or {@code /} is
     *              the root itself
     * @param after the name the page starts after (exclusive), or null or {@code ""} for the first page
     * @param max   the most entries in the page, at least 1
     * @return the page, with {@link DirectoryPage#more()} true when entries follow
     * @throws InvalidPath   when the name is malformed or resolves outside the user's root
     * @throws NoSuchFile    when there is no folder at that path
     * @throws AccessDenied  when the user may not list it
     * @throws IOException   when the host cannot read it for another reason
     * @throws UnsupportedOperationException when the host does not list folders
     * @throws IllegalArgumentException      when {@code max < 1}
     */
    default DirectoryPage list(Principal user, String path, String after, int max) throws HostException, IOException {
        throw new UnsupportedOperationException("this host does not list folders");
    }
}
