package org.mpft.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The servers the user trusts, pinned by their certificate's SHA-256 the way ssh pins host keys
 * (default {@code ~/.mpft/known_hosts}). One line per server:
 * <pre>
 *   files.example.org:7300 SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU
 *   [::1]:7300 SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
 * </pre>
 * The fingerprint is written as unpadded base64 (as ssh shows it); 64 hex digits are read too. Blank
 * lines and lines starting with {@code #} are ignored. The file is created with mode 600 in a folder of
 * mode 700.
 *
 * <p>A known server with the same fingerprint is accepted; with another fingerprint it is always refused,
 * loudly. An unknown server is pinned without asking when {@code acceptNew} is set, else the user is
 * asked on the terminal; without a terminal it is refused. A secondary vouched for by a primary (whose
 * META carried this fingerprint over the pinned, authenticated connection) is accepted and pinned too.
 *
 * <p>Thread-safe. Note that {@link #verify} may block for the user's answer.
 */
final class KnownHostsFile implements HostKeyVerifier {

    private final Path file;
    private final boolean acceptNew;
    private final Terminal terminal;
    private final PrintStream messages;
    private volatile MpftException refusal;

    /**
     * @param file      the known-hosts file (need not exist)
     * @param acceptNew pin unknown servers without asking
     * @param terminal  where to ask, or null when there is no terminal
     * @param messages  where to tell the user about pins and refusals (stderr)
     */
    KnownHostsFile(Path file, boolean acceptNew, Terminal terminal, PrintStream messages) {
        this.file = Objects.requireNonNull(file, "file");
        this.acceptNew = acceptNew;
        this.terminal = terminal;
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /** The last refusal, or null: lets the command report it even when the network layer wraps it. */
    MpftException refusal() {
        return refusal;
    }

    @Override
    public void verify(String hostAndPort, byte[] certificateSha256, String vouchedBy) throws MpftException {
        Objects.requireNonNull(hostAndPort, "hostAndPort");
        if (certificateSha256 == null || certificateSha256.length != 32) {
            throw refuse("the certificate fingerprint of " + hostAndPort + " is not a SHA-256");
        }
        String key = hostAndPort.toLowerCase(Locale.ROOT);
        synchronized (this) {
            List<byte[]> pinned;
            try {
                pinned = pinned(key);
            } catch (IOException e) {
                throw refuse("cannot read " + file + ": " + e.getMessage());
            }
            for (byte[] known : pinned) {
                if (MessageDigest.isEqual(known, certificateSha256)) {
                    return;
                }
            }
            if (!pinned.isEmpty()) {
                throw refuse(changedWarning(hostAndPort, certificateSha256));
            }
            if (vouchedBy != null) {
                pin(key, certificateSha256, "secondary " + hostAndPort + " (vouched for by " + vouchedBy + ")");
                return;
            }
            if (acceptNew) {
                pin(key, certificateSha256, "'" + hostAndPort + "'");
                return;
            }
            if (terminal == null) {
                throw refuse("the authenticity of server " + hostAndPort + " can't be established (certificate "
                        + fingerprint(certificateSha256) + ") and there is no terminal to ask: check the"
                        + " fingerprint and run again with --accept-new to trust it on first use, or add it to "
                        + file);
            }
            String question = "The authenticity of server " + hostAndPort + " can't be established.\n"
                    + "Certificate SHA256 fingerprint is " + fingerprint(certificateSha256) + ".\n"
                    + "Are you sure you want to continue connecting (yes/no)? ";
            while (true) {
                String answer = terminal.readLine(question);
                answer = answer == null ? "no" : answer.trim().toLowerCase(Locale.ROOT);
                if (answer.equals("yes")) {
                    pin(key, certificateSha256, "'" + hostAndPort + "'");
                    return;
                }
                if (answer.equals("no")) {
                    throw refuse("server " + hostAndPort + " not trusted: certificate refused by the user");
                }
                question = "Please type 'yes' or 'no': ";
            }
        }
    }

    /** {@code SHA256:<unpadded base64>}, as ssh shows fingerprints. */
    static String fingerprint(byte[] sha256) {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256);
    }

    /** Reads {@code SHA256:<base64>} (padded or not) or {@code SHA256:<64 hex digits>}; null when malformed. */
    static byte[] parseFingerprint(String text) {
        if (!text.regionMatches(true, 0, "SHA256:", 0, 7)) {
            return null;
        }
        String value = text.substring(7);
        try {
            if (value.length() == 64 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(value);
            }
            byte[] bytes = Base64.getDecoder().decode(value.replace("=", ""));
            return bytes.length == 32 ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String changedWarning(String hostAndPort, byte[] sha256) {
        String bar = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";
        return "certificate of server " + hostAndPort + " has changed: refused\n"
                + bar + "\n"
                + "@    WARNING: REMOTE SERVER IDENTIFICATION HAS CHANGED!   @\n"
                + bar + "\n"
                + "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n"
                + "Someone could be eavesdropping on you right now (man-in-the-middle attack)!\n"
                + "It is also possible that the server's certificate has just been changed.\n"
                + "The fingerprint for the certificate sent by " + hostAndPort + " is\n"
                + fingerprint(sha256) + ".\n"
                + "If you trust the new certificate, remove the line of " + hostAndPort + " from " + file + ".";
    }

    private MpftException refuse(String message) {
        MpftException e = new MpftException(ErrorCode.AUTHENTICATION_FAILED, message);
        refusal = e;
        return e;
    }

    private List<byte[]> pinned(String key) throws IOException {
        List<byte[]> found = new ArrayList<>();
        if (!Files.exists(file)) {
            return found;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length >= 2 && fields[0].toLowerCase(Locale.ROOT).equals(key)) {
                byte[] sha = parseFingerprint(fields[1]);
                if (sha != null) {
                    found.add(sha);
                }
            }
        }
        return found;
    }

    private void pin(String key, byte[] sha256, String what) throws MpftException {
        try {
            Path folder = file.toAbsolutePath().getParent();
            createPrivateFolder(folder);
            byte[] old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
            StringBuilder text = new StringBuilder(new String(old, StandardCharsets.UTF_8));
            if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                text.append('\n');
            }
            text.append(key).append(' ').append(fingerprint(sha256)).append('\n');
            // whole-file rewrite through a temp file: a crash never leaves a torn known_hosts
            Path temp = folder.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            createPrivateFile(temp);
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw refuse("cannot record the certificate of " + key + " in " + file + ": " + e.getMessage());
        }
        messages.println("mpft: permanently added " + what + " (" + fingerprint(sha256)
                + ") to the list of known servers in " + file);
    }

    private static void createPrivateFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        try {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(folder);
        }
    }

    private static void createPrivateFile(Path path) throws IOException {
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            // deleted just before; a race with another mpft: write over it
        }
    }
}
