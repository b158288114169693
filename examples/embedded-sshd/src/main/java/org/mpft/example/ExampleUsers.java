package org.mpft.example;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;

/**
 * The example server's users, read once from a properties file: one line per user, its value a
 * comma-separated list of credentials, each a {@link PasswordHash} ({@code pbkdf2:...}) or an OpenSSH
 * authorized key ({@code ssh-ed25519 AAAA... comment}):
 *
 * <pre>
 * alice = pbkdf2:210000:c2FsdA==:aGFzaA==, ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... alice@laptop
 * bob = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... bob@desk
 * </pre>
 *
 * @param users credentials by user name
 */
public record ExampleUsers(Map<String, Credentials> users) {

    /** Valid user names: they are also folder names under the server's root. */
    public static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    /**
     * One user's credentials.
     *
     * @param passwordHash the password hash, or null for no password login
     * @param keys         the authorized keys
     */
    public record Credentials(String passwordHash, List<PublicKey> keys) {
        /** Freezes the keys. */
        public Credentials {
            keys = List.copyOf(keys);
        }
    }

    /** Freezes the map. */
    public ExampleUsers {
        users = Map.copyOf(users);
    }

    /**
     * Reads a users file.
     *
     * @throws IOException naming the file and the user when a line is malformed
     */
    public static ExampleUsers read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        Map<String, Credentials> users = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            if (!NAME.matcher(name).matches()) {
                throw new IOException(file + ": invalid user name '" + name + "' (expected " + NAME + ")");
            }
            String hash = null;
            List<PublicKey> keys = new ArrayList<>();
            for (String credential : props.getProperty(name).split(",")) {
                String c = credential.strip();
                if (c.startsWith(PasswordHash.PREFIX)) {
                    hash = c;
                } else if (!c.isEmpty()) {
                    keys.add(parseKey(file, name, c));
                }
            }
            users.put(name, new Credentials(hash, keys));
        }
        return new ExampleUsers(users);
    }

    private static PublicKey parseKey(Path file, String user, String line) throws IOException {
        try {
            return AuthorizedKeyEntry.parseAuthorizedKeyEntry(line).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + ": user " + user + ": not a password hash nor an authorized key: " + e.getMessage(), e);
        }
    }

    /** Whether there is a user of that name. */
    public boolean contains(String user) {
        return users.containsKey(user);
    }

    /** The server's password check: the user's hash, if it has one. */
    public PasswordAuthenticator passwordAuthenticator() {
        return (user, password, session) -> {
            Credentials c = users.get(user);
            char[] chars = password.toCharArray();
            try {
                return c != null && c.passwordHash() != null && PasswordHash.verify(chars, c.passwordHash());
            } finally {
                PasswordHash.clear(chars);
            }
        };
    }

    /** The server's key check: one of the user's authorized keys (MINA verifies the signature itself). */
    public PublickeyAuthenticator publickeyAuthenticator() {
        return (user, key, session) -> {
            Credentials c = users.get(user);
            return c != null && c.keys().stream().anyMatch(k -> KeyUtils.compareKeys(k, key));
        };
    }
}
