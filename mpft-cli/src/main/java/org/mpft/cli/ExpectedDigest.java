package org.mpft.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;
import org.mpft.client.DownloadResult;

/**
 * {@code --expect-sha256 HEX}: the SHA-256 the user expects of the downloaded file. Under this option the
 * client downloads to {@code <output>.mpft-unverified} (its part and state files are named after that, so
 * a resume works as usual), and only a file whose SHA-256 (the one the client computed from the bytes it wrote,
 * never the primary's: the request hashes locally) equals the expected one is renamed to the output. A file that differs is deleted, nothing is kept
 * for a resume (the server's copy is complete and not the one expected: fetching it again gives the same
 * bytes), and an existing file under the output's name stays as it was. A wrong file is never under the
 * output's name, not even for a moment.
 */
final class ExpectedDigest {

    /** The suffix of the file the client writes before its digest is compared. */
    static final String UNVERIFIED_SUFFIX = ".mpft-unverified";

    /** The digest differs: the message says both, and that the file was removed. */
    static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    private final String sha256;

    private ExpectedDigest(String sha256) {
        this.sha256 = sha256;
    }

    /**
     * Reads the option's value: 64 hexadecimal digits, either case.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static ExpectedDigest parse(String hex) {
        Objects.requireNonNull(hex, "hex");
        String value = hex.trim();
        if (value.length() != 64 || !value.chars().allMatch(c -> c < 128 && Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("expected 64 hexadecimal digits (a SHA-256), got '" + hex + "' ("
                    + hex.length() + " characters)");
        }
        return new ExpectedDigest(value.toLowerCase(Locale.ROOT));
    }

    /** The expected SHA-256, lower-case hex. */
    String hex() {
        return sha256;
    }

    /** Where the client writes the file before it is compared: {@code <output>.mpft-unverified}. */
    static Path unverified(Path output) {
        return output.resolveSibling(output.getFileName() + UNVERIFIED_SUFFIX);
    }

    /**
     * Compares the downloaded file's digest and moves it to {@code output} when it matches.
     *
     * @param result the client's result for the download to {@link #unverified(Path)}
     * @param output the final name
     * @return the result, naming {@code output}
     * @throws Mismatch    when the digest differs (the downloaded file is deleted)
     * @throws IOException when the file cannot be moved or deleted
     */
    DownloadResult place(DownloadResult result, Path output) throws Mismatch, IOException {
        Path downloaded = result.file();
        if (!sha256.equalsIgnoreCase(result.sha256())) {
            Files.deleteIfExists(downloaded);
            throw new Mismatch("the SHA-256 of the download is " + result.sha256() + ", not the expected "
                    + sha256 + " (--expect-sha256): the file was removed and nothing was written to " + output);
        }
        // rename(2) replaces whatever is under the output's name, a symbolic link included, never writing through it
        try {
            Files.move(downloaded, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(downloaded, output, StandardCopyOption.REPLACE_EXISTING);
        }
        return new DownloadResult(output, result.bytes(), result.sha256(), result.elapsedMs(), result.chunks(),
                result.retries(), result.resumedChunks(), result.paths(), result.chunkLatencies(),
                result.droppedChunks());
    }
}
