package org.mpft.plugin.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.util.Arrays;
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
 * works); at least {@value #MIN_BYTES} bytes must remain. On POSIX file systems the file must not be
 * readable by others ({@code chmod 600} or {@code 640}). A relative path is resolved against the plugin's
 * data folder.
 */
public final class ClusterSecret {

    /** The shortest secret accepted, bytes. */
    static final int MIN_BYTES = 32;

    /** The largest secret file read, bytes. */
    static final int MAX_BYTES = 64 * 1024;

    private static final String HMAC = "HmacSHA256";

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
     * @throws ChannelStartException naming the key and the file when it is missing, unreadable, readable by
     *                               others, too short or too long
     */
    public static ClusterSecret load(Path file, Path baseDir, String key) throws ChannelStartException {
        Path resolved = baseDir.resolve(file).toAbsolutePath().normalize();
        String where = key + "=" + file + " (" + resolved + ")";
        byte[] bytes;
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(resolved, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!Files.isRegularFile(resolved)) {
                throw new ChannelStartException("cluster secret " + where + ": no such regular file");
            }
            if (posix != null) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(resolved);
                if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new ChannelStartException("cluster secret " + where
                            + ": readable by every user of this machine; restrict it (chmod 600)");
                }
            }
            if (Files.size(resolved) > MAX_BYTES) {
                throw new ChannelStartException("cluster secret " + where + ": larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(resolved);
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
