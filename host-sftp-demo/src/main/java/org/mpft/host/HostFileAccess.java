package org.mpft.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.OpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.HashSet;
import java.util.Set;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.mpft.api.AccessDenied;
import org.mpft.api.DirectoryPage;
import org.mpft.api.FileAccess;
import org.mpft.api.FileIdentity;
import org.mpft.api.HostException;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;

/** The host's {@link FileAccess} for plugins: the same {@link HomeResolver} and rules as SFTP. */
final class HostFileAccess implements FileAccess {

    private final UserStore users;
    private final HomeResolver resolver;
    private final FolderLister lister;

    HostFileAccess(UserStore users, HomeResolver resolver) {
        this.users = Objects.requireNonNull(users, "users");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.lister = new FolderLister(resolver);
    }

    /** Lists with the SFTP rules; see {@link FolderLister}. */
    @Override
    public DirectoryPage list(Principal user, String path, String after, int max) throws HostException, IOException {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        UserAccount account = users.find(user.name())
                .orElseThrow(() -> new AccessDenied("unknown user " + user.name()));
        return lister.list(account, path, after, max);
    }

    @Override
    public ReadableFile openForRead(Principal user, String path) throws HostException, IOException {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        UserAccount account = users.find(user.name())
                .orElseThrow(() -> new AccessDenied("unknown user " + user.name()));
        Path real = resolver.readableFile(account, path);
        long[] mtime = new long[1];
        FileChannel channel = openBeneath(resolver.home(account.name()).toRealPath(), real, path,
                Set.of(StandardOpenOption.READ), !resolver.allowsHardLinks(), mtime);
        try {
            long size = channel.size();
            return new ChannelFile(channel, real, size, mtime[0]);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** {@link #openBeneath(Path, Path, String, Set, boolean, long[], FileAttribute[])} for reading, any link count. */
    static FileChannel openBeneath(Path home, Path real, String requested, long[] mtime)
            throws HostException, IOException {
        return openBeneath(home, real, requested, Set.of(StandardOpenOption.READ), false, mtime);
    }

    /**
     * Opens {@code real} (a path inside {@code home} with no symbolic link left, as the resolver checked
     * it) without following any link on the way: each folder is opened relative to the one before with
     * NOFOLLOW ({@code openat}, through a {@link SecureDirectoryStream}), so a folder or the file swapped
     * for a link between the check and the open is refused instead of followed out of the home. Where
     * the platform has no secure directory streams, only the last component is opened without following.
     * Used by the plugins' {@link FileAccess} and by SFTP ({@code RuleEnforcingSftpAccessor}) alike.
     *
     * @param home       the user's real home
     * @param real       the checked real path, inside {@code home}
     * @param requested  the user's path, for messages
     * @param options    how to open ({@code READ}, or {@code WRITE}, {@code CREATE} ...); NOFOLLOW is added
     * @param singleLink re-check, on the entry just opened, that a regular file has one hard link only
     *                   ({@code files.allow-hard-links=false}); a file swapped in since the check is refused
     * @param mtime      receives the modification time of the entry opened, in ms (index 0)
     * @param attrs      attributes of a file the open creates
     * @throws NoSuchFile   when the file or a folder on the way vanished
     * @throws InvalidPath  when a component became a symbolic link, or the entry changed while it was opened
     * @throws AccessDenied when {@code singleLink} and the file has several hard links
     */
    static FileChannel openBeneath(Path home, Path real, String requested, Set<? extends OpenOption> options,
            boolean singleLink, long[] mtime, FileAttribute<?>... attrs) throws HostException, IOException {
        Path rel = home.relativize(real);
        Set<OpenOption> opts = new HashSet<>(options);
        opts.add(LinkOption.NOFOLLOW_LINKS);
        try {
            DirectoryStream<Path> first = Files.newDirectoryStream(home);
            if (!(first instanceof SecureDirectoryStream<Path> dir)) {
                first.close();
                FileChannel plain = FileChannel.open(real, opts, attrs);
                try {
                    mtime[0] = Files.getLastModifiedTime(real, LinkOption.NOFOLLOW_LINKS).toMillis();
                    if (singleLink) {
                        checkSingleLink(real, requested, null);
                    }
                } catch (IOException | HostException | RuntimeException e) {
                    plain.close();
                    throw e;
                }
                return plain;
            }
            try {
                for (int i = 0; i < rel.getNameCount() - 1; i++) {
                    SecureDirectoryStream<Path> next = dir.newDirectoryStream(rel.getName(i), LinkOption.NOFOLLOW_LINKS);
                    dir.close();
                    dir = next;
                }
                SeekableByteChannel channel = dir.newByteChannel(rel.getFileName(), opts, attrs);
                try {
                    // the entry just opened, read through the same open folder
                    BasicFileAttributes opened = dir.getFileAttributeView(rel.getFileName(),
                            BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
                    mtime[0] = opened.lastModifiedTime().toMillis();
                    if (singleLink && opened.isRegularFile()) {
                        checkSingleLink(real, requested, opened.fileKey());
                    }
                } catch (IOException | HostException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                if (channel instanceof FileChannel file) {
                    return file;
                }
                channel.close();
                return FileChannel.open(real, opts, attrs);
            } finally {
                dir.close();
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new NoSuchFile("no such file: " + requested);
        } catch (AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            // ELOOP: a component became a symbolic link after the check (the JDK reports it as a plain
            // IOException "Too many levels of symbolic links (NOFOLLOW_LINKS specified)")
            String message = String.valueOf(e.getMessage());
            if (e instanceof FileSystemException || message.contains("symbolic link")) {
                throw new InvalidPath("path changed while it was opened (a symbolic link?): " + requested);
            }
            throw e;
        }
    }

    /**
     * The link count of the entry at {@code real}, which must still be the one opened (same file key), must
     * be 1. The JDK has no fstat: the count is read by name, and the file key ties it to the open entry.
     */
    private static void checkSingleLink(Path real, String requested, Object openedKey)
            throws HostException, IOException {
        BasicFileAttributes now = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (openedKey != null && !openedKey.equals(now.fileKey())) {
            throw new InvalidPath("path changed while it was opened: " + requested);
        }
        if (HomeResolver.linkCount(real) > 1) {
            throw new AccessDenied(HomeResolver.hardLinkRefusal(requested));
        }
    }

    /**
     * A {@link ReadableFile} over a {@link FileChannel}; size and time are those seen at open, the identity is
     * that of the entry at the opened path now (a file replaced under its name has another file key).
     */
    private record ChannelFile(FileChannel channel, Path real, long size, long lastModifiedMillis)
            implements ReadableFile {

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
            channel.close();
        }
    }
}
