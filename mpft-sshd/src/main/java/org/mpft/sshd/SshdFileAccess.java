package org.mpft.sshd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.session.ServerSession;
import org.mpft.api.AccessDenied;
import org.mpft.api.DirectoryEntry;
import org.mpft.api.DirectoryPage;
import org.mpft.api.FileAccess;
import org.mpft.api.FileIdentity;
import org.mpft.api.HostException;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;

/**
 * The plugins' {@link FileAccess} through a MINA SSHD server's own file system view: the server's
 * {@link FileSystemFactory} creates the user's file system exactly as for an SFTP session (a
 * {@code VirtualFileSystemFactory} gives a file system rooted in the user's folder, a custom factory
 * its own virtual folders and rules), and the path is resolved and opened inside it.
 *
 * <p>The user's root is the file system's {@code /} when the factory gives a file system of its own
 * (rooted, virtual), and the factory's {@code getUserHomeDir} when it gives the platform's default file
 * system (then a user with no home dir is refused: there would be no root to keep the user in). A user
 * for whom the factory has no root at all ({@code VirtualFileSystemFactory} without a default home) is
 * {@link AccessDenied}.
 *
 * <p>Answers, in this order: {@link InvalidPath} for a NUL or other control character or a {@code ..}
 * that climbs above the root; {@link NoSuchFile} when nothing is there; {@link InvalidPath} when
 * symbolic links lead outside the root; {@link AccessDenied} when the file system refuses
 * ({@code AccessDeniedException}); {@link NoSuchFile} when it is not a regular file; {@link AccessDenied}
 * for a regular file with more than one hard link, unless hard links are allowed: such a file may be a
 * link to a file outside the root, and no path check can tell.
 *
 * <p>Symbolic links are resolved one component at a time through the file system's own
 * {@code readSymbolicLink} (MINA's rooted file system does not resolve them in {@code toRealPath}, and
 * lets the platform follow them out of the root: its SFTP serves a link to {@code /etc/passwd} in a user's
 * root; the channel refuses it). The last component is opened without following links, and the file
 * opened must be the one checked (same file key), so a file swapped for a link between the check and the
 * open is refused. A folder on the way swapped for a link in that window is not caught: a generic file
 * system offers no {@code openat}. A host that needs that guarantee against users who write concurrently implements
 * {@link FileAccess} on its own platform instead.
 *
 * <p>Rules that a server enforces outside its file system (in a custom {@code SftpFileSystemAccessor} or
 * {@code SftpEventListener}) are not seen here: put access rules in the file system view to have them
 * apply to both.
 */
public final class SshdFileAccess implements FileAccess {

    /** Symbolic links followed for one path at most, as Linux's {@code MAXSYMLINKS}. */
    private static final int MAX_LINKS = 40;

    private final ServerFactoryManager server;
    private final FileSystemFactory fileSystems;
    private final boolean allowHardLinks;

    /**
     * @param server         the SSH server (the session view reports its settings)
     * @param fileSystems    the server's file system factory, the one its SFTP subsystem uses
     * @param allowHardLinks serve regular files with more than one hard link (default of the builder: false)
     */
    public SshdFileAccess(ServerFactoryManager server, FileSystemFactory fileSystems, boolean allowHardLinks) {
        this.server = Objects.requireNonNull(server, "server");
        this.fileSystems = Objects.requireNonNull(fileSystems, "fileSystems");
        this.allowHardLinks = allowHardLinks;
    }

    @Override
    public ReadableFile openForRead(Principal user, String path) throws HostException, IOException {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        String rel = normalize(path);
        ServerSession session = SessionView.of(server, user.name(), true);
        FileSystem fs;
        try {
            fs = fileSystems.createFileSystem(session);
        } catch (InvalidPathException e) {
            // VirtualFileSystemFactory: no root for this user
            throw new AccessDenied("no root folder for user " + user.name());
        }
        boolean ownFileSystem = fs != FileSystems.getDefault();
        try {
            Path root = root(fs, ownFileSystem, session, user).toRealPath();
            Path real;
            try {
                real = resolve(root, rel);
            } catch (InvalidPathException e) {
                throw new InvalidPath("path leads outside the root: /" + rel);
            }
            BasicFileAttributes checked = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!checked.isRegularFile()) {
                throw new NoSuchFile("not a regular file: /" + rel);
            }
            if (!allowHardLinks && linkCount(real) > 1) {
                throw new AccessDenied(hardLinkRefusal(rel));
            }
            FileChannel channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            try {
                BasicFileAttributes opened = Files.readAttributes(real, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!Objects.equals(checked.fileKey(), opened.fileKey())) {
                    throw new InvalidPath("path changed while it was opened: /" + rel);
                }
                return new ChannelFile(channel, real, ownFileSystem ? fs : null, channel.size(),
                        opened.lastModifiedTime().toMillis());
            } catch (HostException | IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            closeOwn(fs, ownFileSystem);
            throw new NoSuchFile("no such file: /" + rel);
        } catch (AccessDeniedException e) {
            closeOwn(fs, ownFileSystem);
            throw new AccessDenied("no read access to /" + rel);
        } catch (FileSystemException e) {
            // a file used as a folder (ENOTDIR), a link loop (ELOOP): nothing readable there
            closeOwn(fs, ownFileSystem);
            throw new NoSuchFile("no such file: /" + rel);
        } catch (HostException | IOException | RuntimeException e) {
            closeOwn(fs, ownFileSystem);
            throw e;
        }
    }

    /**
     * Lists a folder through the user's file system view, as {@link #openForRead} resolves paths: the folder
     * must resolve inside the root; each entry is resolved by its own path (symbolic links one component at a
     * time) and left out when it leads outside the root or nowhere, when the file system refuses to read it,
     * when it is a file with several hard links (unless allowed), or when it is neither a file nor a folder.
     * A folder the file system refuses to open is {@link AccessDenied}, as SFTP's {@code opendir} fails.
     */
    @Override
    public DirectoryPage list(Principal user, String path, String after, int max) throws HostException, IOException {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        String rel = normalize(path);
        ServerSession session = SessionView.of(server, user.name(), true);
        FileSystem fs;
        try {
            fs = fileSystems.createFileSystem(session);
        } catch (InvalidPathException e) {
            throw new AccessDenied("no root folder for user " + user.name());
        }
        boolean ownFileSystem = fs != FileSystems.getDefault();
        try {
            Path root = root(fs, ownFileSystem, session, user).toRealPath();
            Path folder = resolveInside(root, rel);
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFile("not a folder: /" + rel);
            }
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
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
                DirectoryEntry entry = entry(root, folder, rel.isEmpty() ? name : rel + "/" + name, name);
                if (entry == null) {
                    continue;
                }
                if (page.size() == max) {
                    return new DirectoryPage(page, true);
                }
                page.add(entry);
            }
            return new DirectoryPage(page, false);
        } catch (NoSuchFileException e) {
            throw new NoSuchFile("no such folder: /" + rel);
        } catch (AccessDeniedException e) {
            throw new AccessDenied("no read access to /" + rel);
        } catch (FileSystemException e) {
            throw new NoSuchFile("no such folder: /" + rel);
        } finally {
            closeOwn(fs, ownFileSystem);
        }
    }

    /** {@link #resolve}, with a path the file system cannot name refused as outside the root. */
    private static Path resolveInside(Path root, String rel) throws HostException, IOException {
        try {
            return resolve(root, rel);
        } catch (InvalidPathException e) {
            throw new InvalidPath("path leads outside the root: /" + rel);
        }
    }

    /**
     * One listed entry, or null when the user could not open it (see {@link #list}). An entry that is no symbolic
     * link lies at the resolved folder's path plus its name; a link is resolved from the root, as a download's path.
     */
    private DirectoryEntry entry(Path root, Path folder, String rel, String name) {
        try {
            Path real = folder.resolve(name);
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                real = resolveInside(root, rel);
                attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
            if (attrs.isDirectory()) {
                return new DirectoryEntry(name, DirectoryEntry.Type.DIRECTORY, attrs.size(),
                        attrs.lastModifiedTime().toMillis(), FileModes.of(real));
            }
            if (!attrs.isRegularFile() || (!allowHardLinks && linkCount(real) > 1)) {
                return null;
            }
            return new DirectoryEntry(name, DirectoryEntry.Type.FILE, attrs.size(), attrs.lastModifiedTime().toMillis(),
                    FileModes.of(real));
        } catch (HostException | IOException | RuntimeException e) {
            return null; // outside the root, dangling, unreadable or gone: not something the user can open
        }
    }

    /** The user's root in {@code fs}: its {@code /} for a file system of its own, else the user's home dir. */
    private Path root(FileSystem fs, boolean ownFileSystem, ServerSession session, Principal user)
            throws HostException, IOException {
        if (ownFileSystem) {
            return fs.getPath("/");
        }
        Path home = fileSystems.getUserHomeDir(session);
        if (home == null) {
            throw new AccessDenied("no root folder for user " + user.name());
        }
        return home;
    }

    /**
     * The path of {@code rel} inside {@code root} with every symbolic link on the way resolved, one
     * component at a time, by the file system's own {@code readSymbolicLink}: a file system's
     * {@code toRealPath} cannot be relied on for that (MINA's rooted file system returns links unresolved
     * and lets the platform follow them, out of the root too). A link whose target climbs above the root,
     * or a result outside the root, is refused.
     */
    private static Path resolve(Path root, String rel) throws HostException, IOException {
        Deque<String> todo = new ArrayDeque<>(List.of(rel.isEmpty() ? new String[0] : rel.split("/")));
        Path cur = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String seg = todo.removeFirst();
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (cur.equals(root)) {
                    throw new InvalidPath("path leads outside the root: /" + rel);
                }
                cur = cur.getParent() == null ? cur : cur.getParent();
                continue;
            }
            Path next = cur.resolve(seg);
            if (!Files.isSymbolicLink(next)) {
                cur = next;
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new NoSuchFile("too many levels of symbolic links: /" + rel);
            }
            Path target = Files.readSymbolicLink(next);
            for (int k = target.getNameCount() - 1; k >= 0; k--) {
                todo.addFirst(target.getName(k).toString());
            }
            if (target.isAbsolute()) {
                cur = target.getRoot();
            }
        }
        if (!cur.startsWith(root)) {
            throw new InvalidPath("path leads outside the root: /" + rel);
        }
        return cur;
    }

    /**
     * Normalizes a user's path lexically: drops empty and {@code .} segments, applies {@code ..}.
     *
     * @return the root-relative path without leading or trailing {@code /}; {@code ""} is the root
     * @throws InvalidPath for a NUL or other control character, or a {@code ..} that climbs above the root
     */
    static String normalize(String path) throws InvalidPath {
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                throw new InvalidPath(path.charAt(i) == 0 ? "path contains a NUL character"
                        : "path contains a control character");
            }
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (segments.isEmpty()) {
                    throw new InvalidPath("path leads outside the root: " + path);
                }
                segments.removeLast();
            } else {
                segments.addLast(seg);
            }
        }
        return String.join("/", segments);
    }

    /** The message of a hard-link refusal. */
    static String hardLinkRefusal(String rel) {
        return "refused: /" + rel + " has more than one hard link (this host serves such files only when "
                + "hard links are allowed)";
    }

    /** The link count of a file (not following a last link); 1 where the file system cannot tell. */
    private static long linkCount(Path file) throws IOException {
        try {
            Object n = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return n instanceof Number number ? number.longValue() : 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1; // no "unix" view: no hard links this check could see
        }
    }

    private static void closeOwn(FileSystem fs, boolean ownFileSystem) {
        if (ownFileSystem) {
            try {
                fs.close();
            } catch (IOException | UnsupportedOperationException e) {
                // nothing held open in it: the refusal is what matters
            }
        }
    }

    /**
     * A {@link ReadableFile} over a {@link FileChannel}; size and time are those seen at open. The user's
     * file system, when the factory made one for this call, closes with it. The identity is that of the entry
     * at the opened path now, read through the same file system.
     */
    private record ChannelFile(FileChannel channel, Path real, FileSystem fileSystem, long size,
                               long lastModifiedMillis) implements ReadableFile {

        @Override
        public FileIdentity identity() throws IOException {
            return FileIdentity.of(real);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                closeOwn(fileSystem, fileSystem != null);
            }
        }
    }
}
