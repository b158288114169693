package org.mpft.host;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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

    /** The file type bits of {@code st_mode}, and the types judged without the resolver. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;

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
        String realRel = resolver.relative(user, real);
        List<DirectoryEntry> page = new ArrayList<>();
        for (String name : names) {
            DirectoryEntry entry = entry(user, real, realRel, rel.isEmpty() ? name : rel + "/" + name, name);
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

    /**
     * The entry as the user may see it, or null when the resolver would refuse it both as a file and as a folder.
     * An entry that is no symbolic link is judged from one {@code lstat}: its real path is the folder's real path
     * and its name, so the resolver's checks come down to the rules on both paths and the link count. A symbolic
     * link, or a file system without the {@code unix} view, goes through the resolver ({@link #resolved}).
     *
     * @param folder    the folder's real path, inside the home
     * @param folderRel the folder's real path relative to the real home
     * @param rel       the entry's path as the user named it
     */
    private DirectoryEntry entry(UserAccount user, Path folder, String folderRel, String rel, String name)
            throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(folder.resolve(name), "unix:mode,nlink,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return resolved(user, rel, name);
        } catch (NoSuchFileException e) {
            return null; // gone since the folder was read
        }
        int mode = (Integer) attributes.get("mode");
        String realRel = folderRel.isEmpty() ? name : folderRel + "/" + name;
        long size = (Long) attributes.get("size");
        long modified = ((FileTime) attributes.get("lastModifiedTime")).toMillis();
        AccessRules rules = user.rules();
        return switch (mode & S_IFMT) {
            case S_IFREG -> rules.mayRead(rel) && rules.mayRead(realRel) && (resolver.allowsHardLinks()
                    || (Integer) attributes.get("nlink") <= 1)
                    ? new DirectoryEntry(name, DirectoryEntry.Type.FILE, size, modified, mode & 07777) : null;
            case S_IFDIR -> rules.mayList(rel) && rules.mayList(realRel)
                    ? new DirectoryEntry(name, DirectoryEntry.Type.DIRECTORY, size, modified, mode & 07777) : null;
            case S_IFLNK -> resolved(user, rel, name);
            default -> null; // a device, pipe or socket: neither a regular file nor a folder
        };
    }

    /** The entry as the resolver judges its path, or null when it refuses it both as a file and as a folder. */
    DirectoryEntry resolved(UserAccount user, String rel, String name) throws IOException {
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
