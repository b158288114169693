package org.mpft.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Decides whether a file of a batch is already finished on disk and need not be fetched, like rsync's quick
 * check made safer: the output must be a regular file with the listed size and modification time, and when
 * the batch's {@link BatchManifest} records it, its bytes must still hash to the recorded SHA-256. A file
 * with the right size and time but no manifest entry (left finished by an earlier run whose manifest was
 * deleted because it succeeded, or copied there otherwise) is trusted by size and time alone, as rsync does.
 * A file whose size or time is unknown is never skipped.
 */
final class FinishedFiles {

    private FinishedFiles() {
    }

    /** True when {@code file} can be skipped. */
    static boolean finished(BatchFile file, BatchManifest manifest) {
        if (file.size() < 0 || file.modifiedMillis() < 0) {
            return false;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file.output(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return false;
        }
        if (!attributes.isRegularFile() || attributes.size() != file.size()
                || attributes.lastModifiedTime().toMillis() != file.modifiedMillis()) {
            return false;
        }
        Optional<BatchManifest.Entry> entry = manifest.lookup(file.output());
        if (entry.isEmpty()) {
            return true;
        }
        BatchManifest.Entry e = entry.get();
        return e.size() == file.size() && e.mtimeMillis() == file.modifiedMillis()
                && e.sha256().equals(sha256(file.output()));
    }

    /** The SHA-256 of a file, lower-case hex, or null when it cannot be read. */
    static String sha256(Path path) {
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
