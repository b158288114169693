package org.mpft.plugin.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.mpft.api.ChannelStartException;

/**
 * The secret that every instance of one mpft cluster (a primary and its secondaries) shares, read from
 * the file named by {@code mpft.cluster.secret-file}. It authenticates the cluster link both ways
 * ({@link ClusterHandshake}) and keys the tickets a primary issues for its secondaries ({@link Ticket}),
 * each use with its own derived key.
 *
 * <p>The file's bytes are the secret, minus trailing white space (so {@code openssl rand -base64 48 > f}
 * works); at least {@value #MIN_BYTES} bytes must remain. The file must be a regular file (a symbolic link
 * is refused, not followed) and, on POSIX file systems, owned by the user this process runs as with no group
 * or other permission bit ({@code chmod 600} or stricter). A relative path is resolved against the plugin's
 * data folder.
 */
public final class ClusterSecret {

    /** The shortest secret accepted, bytes. */
    static final int MIN_BYTES = 32;

    /** The largest secret file read, bytes. */
    static final int MAX_BYTES = 64 * 1024;

    private static final String HMAC = "HmacSHA256";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] secret;

    private ClusterSecret(byte[] secret) {
        this.secret = secret;
    }

    /**
     * A secret held in memory (tests, tools).
     *
     * @throws IllegalArgumentException when shorter than {@value #MIN_BYTES} bytes
     */
    public static ClusterSecret of(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("a cluster secret needs at least " + MIN_BYTES + " bytes, got "
                    + secret.length);
        }
        return new ClusterSecret(secret.clone());
    }

    /**
     * Reads the secret file.
     *
     * @param file     the file, as configured
     * @param baseDir  what a relative {@code file} is relative to (the plugin's data folder)
     * @param key      the setting that named the file, for messages
     * @throws ChannelStartException naming the key, the file and what is wrong when it is missing, a symbolic
     *                               link or not a regular file, owned by another user, open to group or others,
     *                               unreadable, too short or too long
     */
    public static ClusterSecret load(Path file, Path baseDir, String key) throws ChannelStartException {
        Path resolved = baseDir.resolve(file).toAbsolutePath().normalize();
        String where = key + "=" + file + " (" + resolved + ")";
        byte[] bytes;
        try {
            checkFile(resolved, where);
            bytes = read(resolved, where);
        } catch (NoSuchFileException e) {
            throw new ChannelStartException("cluster secret " + where + ": no such file");
        } catch (IOException e) {
            throw new ChannelStartException("cluster secret " + where + ": cannot read: " + e.getMessage(), e);
        }
        int length = bytes.length;
        while (length > 0 && Character.isWhitespace(bytes[length - 1])) {
            length--;
        }
        if (length < MIN_BYTES) {
            Arrays.fill(bytes, (byte) 0);
            throw new ChannelStartException("cluster secret " + where + ": " + length + " bytes, at least "
                    + MIN_BYTES + " required (e.g. openssl rand -base64 48 > file)");
        }
        byte[] secret = Arrays.copyOf(bytes, length);
        Arrays.fill(bytes, (byte) 0);
        return new ClusterSecret(secret);
    }

    /**
     * Refuses a file that is not a regular file (a symbolic link is not followed), and on POSIX file systems
     * one not owned by the user this process runs as or with any group or other permission bit.
     */
    private static void checkFile(Path resolved, String where) throws IOException, ChannelStartException {
        BasicFileAttributes basic = Files.readAttributes(resolved, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (basic.isSymbolicLink()) {
            throw new ChannelStartException("cluster secret " + where
                    + ": is a symbolic link; name the file itself");
        }
        if (!basic.isRegularFile()) {
            throw new ChannelStartException("cluster secret " + where + ": not a regular file");
        }
        if (Files.getFileAttributeView(resolved, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) == null) {
            return;
        }
        PosixFileAttributes posix = Files.readAttributes(resolved, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        String self = System.getProperty("user.name");
        UserPrincipal me = resolved.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(self);
        if (!posix.owner().equals(me)) {
            throw new ChannelStartException("cluster secret " + where + ": owned by " + posix.owner().getName()
                    + ", not by " + self + " (the user this server runs as); chown it");
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(posix.permissions());
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw new ChannelStartException("cluster secret " + where + ": mode "
                    + PosixFilePermissions.toString(posix.permissions())
                    + " lets other users at it; restrict it to its owner (chmod 600)");
        }
    }

    /** Reads at most {@value #MAX_BYTES} bytes, never through a symbolic link. */
    private static byte[] read(Path resolved, String where) throws IOException, ChannelStartException {
        try (SeekableByteChannel channel = Files.newByteChannel(resolved,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            if (channel.size() > MAX_BYTES) {
                throw new ChannelStartException("cluster secret " + where + ": larger than " + MAX_BYTES + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read to the end
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /**
     * HMAC-SHA256 keyed with the secret over the concatenation of {@code parts}.
     *
     * @return 32 bytes
     */
    byte[] hmac(byte[]... parts) {
        return hmacWithKey(secret, parts);
    }

    /**
     * A key for one purpose, derived from the secret: HMAC-SHA256(secret, "mpft-derive:" || purpose). Keys
     * for different purposes are independent, so a ticket MAC can never stand in for a handshake proof.
     *
     * @param purpose e.g. {@code ticket-v1}
     * @return 32 bytes
     */
    byte[] derive(String purpose) {
        return hmac(("mpft-derive:" + purpose).getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC-SHA256 with an arbitrary key. */
    static byte[] hmacWithKey(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC key refused", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + HMAC, e);
        }
    }

    /** Compares two MACs in time that does not depend on where they differ. */
    static boolean macEquals(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    @Override
    public String toString() {
        return "ClusterSecret[***]";
    }
}
