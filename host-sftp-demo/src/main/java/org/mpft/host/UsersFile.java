package org.mpft.host;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads and writes the users file: Java properties (UTF-8), a few keys per user.
 *
 * <pre>
 * alice.password=pbkdf2-sha256$210000$&lt;salt&gt;$&lt;hash&gt;   (absent: no password login)
 * alice.authorized-keys=/home/alice/.ssh/authorized_keys  (absent: no key login; relative = to this file's folder)
 * alice.read=/                                          (comma-separated home-relative rules; empty: none)
 * alice.write=/incoming,/tmp
 * </pre>
 *
 * A user exists when any of its keys is present. The file is rewritten atomically (temporary file, then
 * rename) with owner-only permissions where the file system supports them.
 */
final class UsersFile {

    static final String PASSWORD = "password";
    static final String AUTHORIZED_KEYS = "authorized-keys";
    static final String READ = "read";
    static final String WRITE = "write";

    private static final List<String> ATTRIBUTES = List.of(PASSWORD, AUTHORIZED_KEYS, READ, WRITE);

    private static final String HEADER = """
            # mpft-host users file, written by 'mpft-host user add|del'. Per user:
            #   <user>.password         pbkdf2-sha256$<iterations>$<salt>$<hash> (absent: no password login)
            #   <user>.authorized-keys  OpenSSH authorized_keys file (absent: no key login)
            #   <user>.read / .write    comma-separated paths relative to the user's home, / = whole home
            """;

    private UsersFile() {
    }

    /**
     * Reads all users.
     *
     * @return the users by name, sorted
     * @throws IOException when the file cannot be read or a key is malformed (the message names the key)
     */
    static Map<String, UserAccount> read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> byUser = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            int dot = key.lastIndexOf('.');
            String user = dot < 0 ? "" : key.substring(0, dot);
            String attribute = dot < 0 ? key : key.substring(dot + 1);
            if (!ATTRIBUTES.contains(attribute) || !UserAccount.isValidName(user)) {
                throw new IOException(file + ": key '" + key + "': expected <user>.{"
                        + String.join("|", ATTRIBUTES) + "} with a valid user name");
            }
            byUser.computeIfAbsent(user, u -> new TreeMap<>()).put(attribute, props.getProperty(key).trim());
        }
        Map<String, UserAccount> users = new TreeMap<>();
        Path base = file.toAbsolutePath().getParent();
        for (var e : byUser.entrySet()) {
            String user = e.getKey();
            Map<String, String> a = e.getValue();
            try {
                String hash = emptyToNull(a.get(PASSWORD));
                String keys = emptyToNull(a.get(AUTHORIZED_KEYS));
                AccessRules rules = AccessRules.of(split(a.get(READ)), split(a.get(WRITE)));
                users.put(user, new UserAccount(user, hash, keys == null ? null : base.resolve(keys), rules));
            } catch (IllegalArgumentException ex) {
                throw new IOException(file + ": user '" + user + "': " + ex.getMessage(), ex);
            }
        }
        return users;
    }

    /** Writes all users, replacing the file atomically. */
    static void write(Path file, Collection<UserAccount> users) throws IOException {
        Properties props = new Properties();
        for (UserAccount u : users) {
            if (u.passwordHash() != null) {
                props.setProperty(u.name() + "." + PASSWORD, u.passwordHash());
            }
            if (u.authorizedKeys() != null) {
                props.setProperty(u.name() + "." + AUTHORIZED_KEYS, u.authorizedKeys().toString());
            }
            props.setProperty(u.name() + "." + READ, join(u.rules().read()));
            props.setProperty(u.name() + "." + WRITE, join(u.rules().write()));
        }
        // Properties.store escapes correctly; drop its date comment and sort for stable, diffable files
        StringWriter raw = new StringWriter();
        props.store(raw, null);
        List<String> lines = new ArrayList<>(raw.toString().lines().filter(l -> !l.startsWith("#")).toList());
        lines.sort(null);
        String text = HEADER + String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".users", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep its defaults
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String join(List<String> rules) {
        return String.join(",", rules.stream().map(r -> "/" + r).toList());
    }

    private static List<String> split(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        // an empty item is skipped (it must not turn into "/", the whole home)
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
