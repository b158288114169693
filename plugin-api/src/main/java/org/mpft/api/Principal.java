package org.mpft.api;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated user of the host.
 *
 * @param name   the user name, as the host knows it
 * @param groups the groups the host puts the user in; may be empty
 */
public record Principal(String name, Set<String> groups) {

    /** Checks the name and freezes the groups. */
    public Principal {
        Objects.requireNonNull(name, "name");
        groups = Set.copyOf(Objects.requireNonNull(groups, "groups"));
    }

    /** A principal without groups. */
    public static Principal of(String name) {
        return new Principal(name, Set.of());
    }
}
