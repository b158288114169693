package org.mpft.api;

import java.util.List;
import java.util.Objects;

/**
 * One page of a folder listing ({@link FileAccess#list}): entries in ascending order of their names
 * ({@link String#compareTo}), and whether entries follow the last one.
 *
 * @param entries the entries of this page, sorted by name
 * @param more    true when the folder has entries after the last one of this page
 */
public record DirectoryPage(List<DirectoryEntry> entries, boolean more) {

    /** Freezes the list. */
    public DirectoryPage {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }
}
