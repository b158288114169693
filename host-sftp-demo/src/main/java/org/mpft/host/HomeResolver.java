package org.mpft.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.mpft.api.AccessDenied;
import org.mpft.api.HostException;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;

/**
 * The host's one path policy, used by the SFTP subsystem and by {@link HostFileAccess} alike: resolves a
 * user's path inside its home ({@code data.dir/<user>}), follows symbolic links, refuses what lands
 * outside the home, and applies the user's {@link AccessRules} to the real location.
 *
 * <p>Hard links: a hard link inside a home to a file outside it is, to any path check, a file inside the
 * home. So, unless {@code files.allow-hard-links=true}, a regular file with more than one link is neither
 * served nor changed ({@link AccessDenied}, the same answer for SFTP and the plugins); it can still be
 * renamed or deleted.
 *
 * <p>Paths are {@code /}-separated and relative to the home; a leading {@code /} is the home (as in
 * SFTP). Answers, in this order: {@link InvalidPath} for a NUL character or {@code ..} above the home;
 * {@link AccessDenied} when the requested path is outside the rules (so nothing about files outside the
 * rules leaks); {@link NoSuchFile} when nothing is there; {@link InvalidPath} when symbolic links lead
 * outside the home; {@link AccessDenied} when the real location is outside the rules.
 */
final class HomeResolver {

    private final Path dataDir;
    private final boolean allowHardLinks;

    /** A policy that refuses files with more than one hard link (the default of {@code files.allow-hard-links}). */
    HomeResolver(Path dataDir) {
        this(dataDir, false);
    }

    /**
     * @param dataDir        the folder of the users' homes
     * @param allowHardLinks {@code files.allow-hard-links}: serve regular files with more than one link
     */
    HomeResolver(Path dataDir, boolean allowHardLinks) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        this.allowHardLinks = allowHardLinks;
    }

    /** True when files with several hard links are served ({@code files.allow-hard-links}). */
    boolean allowsHardLinks() {
        return allowHardLinks;
    }

    /**
     * Refuses a regular file with more than one hard link unless {@code files.allow-hard-links} is set: such a
     * file may be a link to a file outside the home (or outside the user's rules), and no path check can tell.
     *
     * @param nlink the file's link count
     * @param rel   the user's path, for the message
     * @throws AccessDenied when {@code nlink > 1} and hard links are not allowed
     */
    void checkLinkCount(long nlink, String rel) throws AccessDenied {
        if (nlink > 1 && !allowHardLinks) {
            throw new AccessDenied(hardLinkRefusal(rel));
        }
    }

    /** The one message of a hard-link refusal, for SFTP and the plugins alike. */
    static String hardLinkRefusal(String rel) {
        String name = rel.startsWith("/") ? rel : "/" + rel;
        return "refused: " + name + " has more than one hard link (this host serves such files only with "
                + HostSettings.FILES_ALLOW_HARD_LINKS + "=true)";
    }

    /** {@link #linkCount}, with a file that vanished (or changed into something else) since the check as NoSuchFile. */
    private static long linkCountOrMissing(Path real, String rel) throws HostException, IOException {
        try {
            return linkCount(real);
        } catch (AccessDeniedException e) {
            throw e;
        } catch (FileSystemException e) {
            throw new NoSuchFile("no such file: /" + rel);
        }
    }

    /** The link count of a file (not following a last symbolic link); 1 where the platform cannot tell. */
    static long linkCount(Path file) throws IOException {
        try {
            Object n = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return n instanceof Number number ? number.longValue() : 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1; // no "unix" view (not a POSIX file system): no hard links to worry about here
        }
    }

    /** The user's home folder (it may not exist yet). */
    Path home(String user) {
        return dataDir.resolve(user);
    }

    /**
     * Normalizes a user's path lexically: drops empty and {@code .} segments, applies {@code ..}.
     *
     * @return the home-relative path without leading or trailing {@code /}; {@code ""} is the home
     * @throws InvalidPath for a NUL character or a {@code ..} that climbs above the home
     */
    static String normalize(String path) throws InvalidPath {
        if (path.indexOf('\0') >= 0) {
            throw new InvalidPath("path contains a NUL character");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (segments.isEmpty()) {
                    throw new InvalidPath("path leads outside the home: " + path);
                }
                segments.removeLast();
            } else {
                segments.addLast(seg);
            }
        }
        return String.join("/", segments);
    }

    /**
     * Resolves a regular file the user may read.
     *
     * @return its real path (symbolic links resolved)
     */
    Path readableFile(UserAccount user, String path) throws HostException, IOException {
        String rel = normalize(path);
        if (!user.rules().mayRead(rel)) {
            throw new AccessDenied("no read access to /" + rel);
        }
        Path real = realInsideHome(user, rel);
        if (!user.rules().mayRead(relative(user, real))) {
            throw new AccessDenied("no read access to /" + rel);
        }
        if (!Files.isRegularFile(real)) {
            throw new NoSuchFile("not a regular file: /" + rel);
        }
        checkLinkCount(linkCountOrMissing(real, rel), rel);
        return real;
    }

    /**
     * Resolves a folder the user may list (see {@link AccessRules#mayList}).
     *
     * @return its real path
     */
    Path listableFolder(UserAccount user, String path) throws HostException, IOException {
        String rel = normalize(path);
        if (!user.rules().mayList(rel)) {
            throw new AccessDenied("no read access to /" + rel);
        }
        Path real = realInsideHome(user, rel);
        if (!user.rules().mayList(relative(user, real))) {
            throw new AccessDenied("no read access to /" + rel);
        }
        if (!Files.isDirectory(real)) {
            throw new NoSuchFile("not a folder: /" + rel);
        }
        return real;
    }

    /**
     * Resolves a path the user may create, change or delete. Its parent folder must exist; the path
     * itself may not.
     *
     * @return its real path (the real parent plus the name, or the link's target for a symbolic link)
     */
    Path writablePath(UserAccount user, String path) throws HostException, IOException {
        String rel = normalize(path);
        if (rel.isEmpty() || !user.rules().mayWrite(rel)) {
            throw new AccessDenied("no write access to /" + rel);
        }
        int slash = rel.lastIndexOf('/');
        Path parent = realInsideHome(user, slash < 0 ? "" : rel.substring(0, slash));
        Path target = parent.resolve(rel.substring(slash + 1));
        if (Files.isSymbolicLink(target)) {
            try {
                target = target.toRealPath();
            } catch (NoSuchFileException e) {
                throw new InvalidPath("dangling symbolic link: /" + rel);
            }
            inside(user, target, rel);
        }
        if (!user.rules().mayWrite(relative(user, target))) {
            throw new AccessDenied("no write access to /" + rel);
        }
        return target;
    }

    /**
     * Resolves a path whose content or attributes the user may change (open for writing, chmod, chown,
     * times): {@link #writablePath}, and an existing regular file there must have one hard link only (unless
     * {@code files.allow-hard-links}), so that nobody writes through a link into a file outside the home.
     *
     * @return its real path
     */
    Path modifiablePath(UserAccount user, String path) throws HostException, IOException {
        Path target = writablePath(user, path);
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            checkLinkCount(linkCountOrMissing(target, normalize(path)), normalize(path));
        }
        return target;
    }

    /** The real path of an existing home-relative path, which must lie inside the real home. */
    private Path realInsideHome(UserAccount user, String rel) throws HostException, IOException {
        Path real;
        try {
            real = home(user.name()).resolve(rel).toRealPath();
        } catch (AccessDeniedException e) {
            throw e;
        } catch (FileSystemException e) {
            // missing, or a file used as a folder (ENOTDIR), or a link loop
            throw new NoSuchFile("no such file: /" + rel);
        }
        inside(user, real, rel);
        return real;
    }

    private void inside(UserAccount user, Path real, String rel) throws HostException, IOException {
        if (!real.startsWith(realHome(user))) {
            throw new InvalidPath("path leads outside the home: /" + rel);
        }
    }

    private Path realHome(UserAccount user) throws IOException {
        try {
            return home(user.name()).toRealPath();
        } catch (NoSuchFileException e) {
            // no home yet: nothing can be inside it
            return home(user.name());
        }
    }

    /** The home-relative form of a real path inside the home ({@code ""} for the home). */
    String relative(UserAccount user, Path real) throws IOException {
        Path rel = realHome(user).relativize(real);
        StringBuilder out = new StringBuilder();
        for (Path seg : rel) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(seg);
        }
        return out.toString();
    }
}
