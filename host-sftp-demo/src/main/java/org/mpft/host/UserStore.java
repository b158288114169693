package org.mpft.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's one user store, behind both SFTP logins and the plugins' {@link org.mpft.api.Authenticator}.
 * Backed by the users file ({@link UsersFile}); a running host re-reads the file when it changes (a
 * change that does not parse is logged and the last good content stays in force). Thread-safe.
 */
final class UserStore {

    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

    private final Path file;
    private Map<String, UserAccount> users = Map.of();
    private Object version;

    private UserStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Opens the store and reads the file once; a missing file is an empty store (the first
     * {@link #put} creates it).
     *
     * @throws IOException when the file cannot be read or is malformed
     */
    static UserStore open(Path file) throws IOException {
        UserStore store = new UserStore(file);
        synchronized (store) {
            store.version = stamp(file);
            store.users = store.version == null ? Map.of() : UsersFile.read(file);
        }
        return store;
    }

    /** The user named {@code name}, if it exists. */
    Optional<UserAccount> find(String name) {
        return Optional.ofNullable(current().get(name));
    }

    /** All users by name, sorted. */
    Map<String, UserAccount> all() {
        return current();
    }

    /** Whether {@code password} is the user's password; constant-time, same cost for unknown users. */
    boolean checkPassword(String user, char[] password) {
        UserAccount account = current().get(user);
        return PasswordHasher.verify(password, account == null ? null : account.passwordHash());
    }

    /** Whether {@code key} is in the user's authorized keys. */
    boolean isAuthorizedKey(String user, PublicKey key) {
        UserAccount account = current().get(user);
        return account != null && account.authorizedKeys() != null
                && AuthorizedKeys.contains(account.authorizedKeys(), key);
    }

    /**
     * Adds or replaces a user and rewrites the file.
     *
     * @return true when a user of that name existed and was replaced
     */
    synchronized boolean put(UserAccount account) throws IOException {
        Map<String, UserAccount> next = new TreeMap<>(readFresh());
        boolean existed = next.put(account.name(), account) != null;
        save(next);
        return existed;
    }

    /**
     * Removes a user and rewrites the file.
     *
     * @return false when there was no such user
     */
    synchronized boolean remove(String name) throws IOException {
        Map<String, UserAccount> next = new TreeMap<>(readFresh());
        if (next.remove(name) == null) {
            return false;
        }
        save(next);
        return true;
    }

    private Map<String, UserAccount> readFresh() throws IOException {
        return Files.exists(file) ? UsersFile.read(file) : Map.of();
    }

    private void save(Map<String, UserAccount> next) throws IOException {
        UsersFile.write(file, next.values());
        users = Map.copyOf(next);
        version = stamp(file);
    }

    private synchronized Map<String, UserAccount> current() {
        Object now = stamp(file);
        if (!Objects.equals(now, version)) {
            try {
                users = now == null ? Map.of() : UsersFile.read(file);
                LOG.info("users file {} re-read: {} user(s)", file, users.size());
            } catch (IOException e) {
                LOG.warn("users file {} changed but cannot be used, keeping the previous users: {}", file,
                        e.getMessage());
            }
            version = now;
        }
        return users;
    }

    /** What identifies one version of the file: its identity, size and modification time. */
    private static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return java.util.List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return e.toString();
        }
    }
}
