package org.mpft.api.tck;

import java.nio.file.Path;
import java.util.List;
import org.mpft.api.HostContext;

/**
 * What a host gives {@link HostContextContract}: its users, its users' roots on the local file system,
 * its own protocol, and the {@link HostContext} it hands to plugins. One fixture per test; the TCK adds
 * users first, then calls {@link #start}, then puts files straight into {@link #root}.
 */
public interface HostFixture extends AutoCloseable {

    /**
     * Adds a user before {@link #start}.
     *
     * @param name           the user name (lower-case letters)
     * @param password       the password, or null for no password login
     * @param authorizedKeys OpenSSH {@code authorized_keys} lines ({@code ssh-ed25519 AAAA...},
     *                       {@code ssh-rsa AAAA...}); empty for no key login
     */
    void addUser(String name, String password, List<String> authorizedKeys) throws Exception;

    /**
     * Starts the host (its own protocol too, for {@link #readWithOwnProtocol}) with the users added.
     *
     * @param dataFolder a writable folder for the context's {@link HostContext#dataFolder()}
     * @return the context the host hands to its plugins
     */
    HostContext start(Path dataFolder) throws Exception;

    /** The user's root on the local file system, existing once the host has started; the TCK writes into it. */
    Path root(String user) throws Exception;

    /** Whether this host serves regular files with more than one hard link (its policy). */
    boolean allowsHardLinks();

    /**
     * Restricts what the user may read to {@code folder} (root-relative) and below, by the host's own
     * rules, after {@link #start}.
     *
     * @return false when the host has no per-path read rules (the TCK then skips the rights tests)
     */
    boolean restrictReadTo(String user, String folder) throws Exception;

    /**
     * Reads a file with the host's own protocol (e.g. an SFTP client logged in with the password).
     *
     * @param path the same string that the TCK gives {@code FileAccess.openForRead}
     * @return the bytes, or null when the protocol refuses (no such file, no right, invalid path)
     */
    byte[] readWithOwnProtocol(String user, String password, String path) throws Exception;
}
