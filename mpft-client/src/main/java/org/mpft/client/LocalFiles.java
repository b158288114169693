package org.mpft.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The rules for the files a download keeps next to its output ({@code .mpft-part}, {@code .mpft-state} and
 * the state's temporary): another local user may be able to write into the output's folder (a shared
 * folder, {@code /tmp}) and plant a symbolic link or a file of theirs under those names, to make the
 * download write into a file of the victim's choosing. So these files are never opened through a link
 * ({@link LinkOption#NOFOLLOW_LINKS}), are created new ({@code O_EXCL}) and, when reused, must be regular
 * files owned by the {@link LocalUser}. A file that breaks a rule is refused with
 * {@link ErrorCode#INVALID_PATH} naming it; nothing is written through it.
 */
final class LocalFiles {

    private LocalFiles() {
    }

    /**
     * Checks a file the download may reuse.
     *
     * @return its attributes (read without following a link), or null when there is no such file
     * @throws MpftException {@link ErrorCode#INVALID_PATH} when it is a link, not a regular file, or owned
     *                       by someone else
     */
    static BasicFileAttributes checkOwned(Path file, UserPrincipal user) throws IOException, MpftException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (attributes.isSymbolicLink()) {
            String target;
            try {
                target = String.valueOf(Files.readSymbolicLink(file));
            } catch (IOException e) {
                target = "?";
            }
            throw refused(file, "is a symbolic link (to " + target + ")");
        }
        if (!attributes.isRegularFile()) {
            throw refused(file, "is not a regular file");
        }
        UserPrincipal owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(user)) {
            throw refused(file, "belongs to " + owner.getName() + ", not to " + user.getName());
        }
        return attributes;
    }

    /**
     * Opens a file checked by {@link #checkOwned} without following a link, and makes sure the entry opened
     * is the one checked (a swap in between is refused).
     */
    static FileChannel openChecked(Path file, BasicFileAttributes checked, UserPrincipal user,
                                   OpenOption... options) throws IOException, MpftException {
        Set<OpenOption> all = new HashSet<>(Set.of(options));
        all.add(LinkOption.NOFOLLOW_LINKS);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, all);
        } catch (FileSystemException e) {
            checkOwned(file, user); // a link swapped in: say so; anything else: the open's own error
            throw e;
        }
        try {
            BasicFileAttributes now = checkOwned(file, user);
            if (now == null || !Objects.equals(now.fileKey(), checked.fileKey())) {
                throw refused(file, "was replaced while it was being opened");
            }
            return channel;
        } catch (IOException | MpftException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Creates a file that must not exist yet ({@code CREATE_NEW}, never through a link).
     *
     * @throws MpftException {@link ErrorCode#INVALID_PATH} when something appeared under its name
     */
    static FileChannel createNew(Path file, OpenOption... options) throws IOException, MpftException {
        Set<OpenOption> all = new HashSet<>(Set.of(options));
        all.add(StandardOpenOption.CREATE_NEW);
        all.add(StandardOpenOption.WRITE);
        all.add(LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, all);
        } catch (FileAlreadyExistsException e) {
            throw refused(file, "appeared while the download was creating it");
        }
    }

    /** Fsyncs a folder so that a rename in it is durable; best effort (some platforms cannot open a folder). */
    static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the rename is still atomic, only its durability is left to the file system
        }
    }

    /** The error for a file that breaks a rule, naming it and saying what to do. */
    static MpftException refused(Path file, String why) {
        return new MpftException(ErrorCode.INVALID_PATH, "refusing to use " + file + ": it " + why
                + "; a download keeps its partial files only in regular files of its own (remove it, or"
                + " download to another folder)");
    }
}
