package org.mpft.host;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.mpft.api.HostException;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;

/**
 * Enforces the users' rules on every SFTP operation, through the same {@link HomeResolver} that serves
 * the plugins: opening a file (read or write), listing a folder, creating, renaming, copying, deleting and
 * changing attributes. Reading names and attributes (stat) is left to MINA's rooted file system, which
 * keeps it inside the home.
 */
final class RuleEnforcingSftpAccessor implements SftpFileSystemAccessor {

    private final UserStore users;
    private final HomeResolver resolver;
    private final Consumer<Path> checked;

    RuleEnforcingSftpAccessor(UserStore users, HomeResolver resolver) {
        this(users, resolver, real -> { });
    }

    /**
     * @param checked called with the real path between the check and the open (tests use it to swap a
     *                symbolic link into that window)
     */
    RuleEnforcingSftpAccessor(UserStore users, HomeResolver resolver, Consumer<Path> checked) {
        this.users = Objects.requireNonNull(users, "users");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.checked = Objects.requireNonNull(checked, "checked");
    }

    @Override
    public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath)
            throws IOException {
        // the raw name as the client sent it: refuse '..' above the home as FileAccess does, instead of
        // letting the rooted file system clamp it to the home
        String joined = remotePath.startsWith("/") ? remotePath : rootDir.toAbsolutePath() + "/" + remotePath;
        try {
            HomeResolver.normalize(joined);
        } catch (InvalidPath e) {
            throw translate(remotePath, e);
        }
        return SftpFileSystemAccessor.super.resolveLocalFilePath(subsystem, rootDir, remotePath);
    }

    /**
     * Checks the path with the {@link HomeResolver} and then opens the very location it checked beneath the
     * home without following links ({@link HostFileAccess#openBeneath}), as the plugins' {@code FileAccess}
     * does: a folder or the file swapped for a symbolic link between the check and the open is refused, not
     * followed out of the home. Files with several hard links are refused unless
     * {@code files.allow-hard-links}.
     */
    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
            String handle, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        boolean writes = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        UserAccount user = user(subsystem);
        String rel = rel(file);
        try {
            Path real = writes ? resolver.modifiablePath(user, rel) : resolver.readableFile(user, rel);
            Path home = resolver.home(user.name()).toRealPath();
            checked.accept(real);
            // as MINA's default: attributes only for a file the open creates
            FileAttribute<?>[] create = writes && !Files.exists(real, LinkOption.NOFOLLOW_LINKS) ? attrs
                    : new FileAttribute<?>[0];
            return HostFileAccess.openBeneath(home, real, rel, options, !resolver.allowsHardLinks(), new long[1],
                    create);
        } catch (HostException e) {
            throw translate(file, e);
        }
    }

    @Override
    public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle,
            Path dir, String handle, LinkOption... linkOptions) throws IOException {
        try {
            resolver.listableFolder(user(subsystem), rel(dir));
        } catch (HostException e) {
            throw translate(dir, e);
        }
        return SftpFileSystemAccessor.super.openDirectory(subsystem, dirHandle, dir, handle, linkOptions);
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
        requireWrite(subsystem, path);
        SftpFileSystemAccessor.super.createDirectory(subsystem, path);
    }

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink)
            throws IOException {
        requireWrite(subsystem, link);
        if (!symLink) {
            // a hard link gives its new name the file's content: the user must be allowed to read it
            try {
                resolver.readableFile(user(subsystem), rel(existing));
            } catch (HostException e) {
                throw translate(existing, e);
            }
        }
        SftpFileSystemAccessor.super.createLink(subsystem, link, existing, symLink);
    }

    @Override
    public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath,
            Collection<CopyOption> opts) throws IOException {
        requireWrite(subsystem, oldPath);
        requireWrite(subsystem, newPath);
        SftpFileSystemAccessor.super.renameFile(subsystem, oldPath, newPath, opts);
    }

    @Override
    public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts)
            throws IOException {
        try {
            resolver.readableFile(user(subsystem), rel(src));
        } catch (HostException e) {
            throw translate(src, e);
        }
        requireWrite(subsystem, dst);
        SftpFileSystemAccessor.super.copyFile(subsystem, src, dst, opts);
    }

    @Override
    public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
        requireWrite(subsystem, path);
        SftpFileSystemAccessor.super.removeFile(subsystem, path, isDirectory);
    }

    @Override
    public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute,
            Object value, LinkOption... options) throws IOException {
        requireModify(subsystem, file);
        SftpFileSystemAccessor.super.setFileAttribute(subsystem, file, view, attribute, value, options);
    }

    @Override
    public void setFilePermissions(SftpSubsystemProxy subsystem, Path path, Set<PosixFilePermission> perms,
            LinkOption... options) throws IOException {
        requireModify(subsystem, path);
        SftpFileSystemAccessor.super.setFilePermissions(subsystem, path, perms, options);
    }

    @Override
    public void setFileOwner(SftpSubsystemProxy subsystem, Path path, Principal value, LinkOption... options)
            throws IOException {
        requireModify(subsystem, path);
        SftpFileSystemAccessor.super.setFileOwner(subsystem, path, value, options);
    }

    @Override
    public void setGroupOwner(SftpSubsystemProxy subsystem, Path path, Principal value, LinkOption... options)
            throws IOException {
        requireModify(subsystem, path);
        SftpFileSystemAccessor.super.setGroupOwner(subsystem, path, value, options);
    }

    @Override
    public void setFileAccessControl(SftpSubsystemProxy subsystem, Path path, List<AclEntry> acl,
            LinkOption... options) throws IOException {
        requireModify(subsystem, path);
        SftpFileSystemAccessor.super.setFileAccessControl(subsystem, path, acl, options);
    }

    private void requireWrite(SftpSubsystemProxy subsystem, Path path) throws IOException {
        try {
            resolver.writablePath(user(subsystem), rel(path));
        } catch (HostException e) {
            throw translate(path, e);
        }
    }

    /** {@link #requireWrite}, and an existing file must not have several hard links (chmod, chown, times). */
    private void requireModify(SftpSubsystemProxy subsystem, Path path) throws IOException {
        try {
            resolver.modifiablePath(user(subsystem), rel(path));
        } catch (HostException e) {
            throw translate(path, e);
        }
    }

    private UserAccount user(SftpSubsystemProxy subsystem) throws AccessDeniedException {
        String name = subsystem.getServerSession().getUsername();
        return users.find(name).orElseThrow(() -> new AccessDeniedException("user " + name + " was removed"));
    }

    /** The home-relative name of a path of the user's rooted file system, e.g. {@code /pub/a.iso}. */
    private static String rel(Path rooted) {
        return rooted.toAbsolutePath().normalize().toString();
    }

    /**
     * Maps a host refusal to the exception that MINA turns into the matching SFTP status. SFTP v3 (what
     * OpenSSH speaks) has no status for an invalid name, so an {@link InvalidPath} (a {@code ..} above the
     * home, a link leading outside it) is answered "permission denied", with the reason as message.
     */
    private static IOException translate(Object path, HostException e) {
        if (e instanceof NoSuchFile) {
            return new NoSuchFileException(path.toString(), null, e.getMessage());
        }
        return new AccessDeniedException(path.toString(), null, e.getMessage());
    }
}
