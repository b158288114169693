package org.mpft.host;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One user of the host.
 *
 * @param name           the user name, matching {@link #NAME}
 * @param passwordHash   the {@link PasswordHasher} hash, or null when the user has no password login
 * @param authorizedKeys an OpenSSH {@code authorized_keys} file (absolute), or null when the user has no
 *                       key login
 * @param rules          what the user may read and write inside its home
 */
record UserAccount(String name, String passwordHash, Path authorizedKeys, AccessRules rules) {

    /** Valid user names: a lower-case letter or underscore, then up to 31 of {@code a-z0-9_.-}. */
    static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    /** Checks the name and the required parts. */
    UserAccount {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("invalid user name '" + name + "' (expected " + NAME + ")");
        }
        Objects.requireNonNull(rules, "rules");
        if (passwordHash != null && !PasswordHasher.isWellFormed(passwordHash)) {
            throw new IllegalArgumentException("malformed password hash for user " + name);
        }
    }

    /** Whether {@code name} is a valid user name. */
    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
