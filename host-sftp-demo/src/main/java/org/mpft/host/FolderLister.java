package org.mpft.host;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.mpft.api.DirectoryEntry;
import org.mpft.api.DirectoryPage;
import org.mpft.api.HostException;
import org.mpft.sshd.FileModes;

/**
 * Lists a folder for the plugins ({@link org.mpft.api.FileAccess#list}) with the same {@link HomeResolver}
 * as SFTP: the folder must be one the user may list ({@link HomeResolver#listableFolder}, as SFTP's
 * {@code opendir}); each entry is resolved by its own path as a download or a {@code cd} would be, and left
 * out when the resolver refuses it (outside the rules, a symbolic link out of the home or dangling, several
 * hard links). SFTP shows every name of a listable folder; this listing shows only what the user can open,
 * so it never names more than SFTP does.
 */
final class FolderLister {

    private final HomeResolver resolver;

    FolderLister(HomeResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** One page of the folder at {@code path}; see {@link org.mpft.api.FileAccess#list}. */
    DirectoryPage list(UserAccount user, String path, String after, int max) throws HostException, IOException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        String rel = HomeResolver.normalize(path);
        Path real = resolver.listableFolder(user, rel);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(real)) {
            for (Path entry : stream) {
                String name = entry.getFileName().toString();
                if (after == null || after.isEmpty() || name.compareTo(after) > 0) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        List<DirectoryEntry> page = new ArrayList<>();
        for (String name : names) {
            DirectoryEntry entry = entry(user, rel.isEmpty() ? name : rel + "/" + name, name);
            if (entry == null) {
                continue;
            }
            if (page.size() == max) {
                return new DirectoryPage(page, true);
            }
            page.add(entry);
        }
        return new DirectoryPage(page, false);
    }

    /** The entry as the user may see it, or null when the resolver refuses it both as a file and as a folder. */
    private DirectoryEntry entry(UserAccount user, String rel, String name) throws IOException {
        Path real;
        DirectoryEntry.Type type;
        try {
            real = resolver.readableFile(user, rel);
            type = DirectoryEntry.Type.FILE;
        } catch (HostException | AccessDeniedException e) {
            try {
                real = resolver.listableFolder(user, rel);
                type = DirectoryEntry.Type.DIRECTORY;
            } catch (HostException | AccessDeniedException e2) {
                return null;
            }
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new DirectoryEntry(name, type, attrs.size(), attrs.lastModifiedTime().toMillis(), FileModes.of(real));
        } catch (IOException e) {
            return null; // gone since the check
        }
    }
}
