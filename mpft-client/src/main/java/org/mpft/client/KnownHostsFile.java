package org.mpft.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HostKeyVerifier} backed by a known-hosts file: the servers the user trusts, pinned by their
 * certificate's SHA-256 the way ssh pins host keys (the {@code mpft} command uses {@code ~/.mpft/known_hosts},
 * {@link #defaultFile(Path)}). One line per server:
 * <pre>
 *   files.example.org:7300 SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU
 *   [::1]:7300 SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
 * </pre>
 * The fingerprint is written as unpadded base64 (as ssh shows it); 64 hex digits are read too. Blank
 * lines and lines starting with {@code #} are ignored; server names compare case-insensitively. The file
 * and its folder are created on the first pin, with modes 600 and 700.
 *
 * <p>A known server with the same fingerprint is accepted; with another fingerprint it is always refused,
 * loudly (the message is ssh's "REMOTE SERVER IDENTIFICATION HAS CHANGED" warning). A secondary vouched for
 * by a primary (whose META carried this fingerprint over the pinned, authenticated connection) is accepted
 * for that connection only and never written to the file: the file holds only servers the user chose to
 * trust, so a primary cannot make the client trust a host:port that the user later types. Any other unknown
 * server is put to the {@link UnknownServerPolicy}: pinned when it says yes, refused otherwise.
 *
 * <p>{@link #entries()} lists the pinned servers and {@link #remove(String, int)} forgets some (the
 * {@code mpft known-hosts} command).
 *
 * <p>Thread-safe: verifications run one at a time (a policy that asks a person blocks the others), and
 * every pin rewrites the file whole through a temporary file of its own and an atomic rename. Pins and removals of
 * concurrent mpft runs go one at a time too, under a lock on {@code <file>.lock} beside the file: each reads the file
 * again under it, so no run's line is lost, and a server another run pinned meanwhile is not pinned twice (nor with a
 * second certificate).
 */
public final class KnownHostsFile implements HostKeyVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(KnownHostsFile.class);

    /** Held while a pin or removal holds a file's lock: a JVM may hold one file's lock only once at a time. */
    private static final Object ACROSS_INSTANCES = new Object();

    /**
     * Decides whether to trust a server that the file does not list yet (trust on first use).
     * Called with the file's lock held, at most once per verification.
     */
    @FunctionalInterface
    public interface UnknownServerPolicy {

        /** Refuses every unknown server (the default): only servers already in the file are accepted. */
        UnknownServerPolicy REFUSE = (hostAndPort, certificateSha256) -> false;

        /** Trusts and pins every unknown server (ssh's {@code StrictHostKeyChecking=accept-new}). */
        UnknownServerPolicy ACCEPT_NEW = (hostAndPort, certificateSha256) -> true;

        /**
         * @param hostAndPort       the server, {@code host:port}
         * @param certificateSha256 the SHA-256 of its certificate (show it with {@link #fingerprint(byte[])})
         * @return true to trust and pin the server, false to refuse it
         * @throws MpftException to refuse it with this exception's message (use
         *                       {@link org.mpft.protocol.ErrorCode#AUTHENTICATION_FAILED})
         */
        boolean trust(String hostAndPort, byte[] certificateSha256) throws MpftException;
    }

    /**
     * One pinned server of the file.
     *
     * @param hostAndPort the server as written in the file, {@code host:port} ({@code [v6]:port})
     * @param fingerprint its certificate's fingerprint, {@code SHA256:<unpadded base64>}
     */
    public record Entry(String hostAndPort, String fingerprint) {
        /** Checks the fields. */
        public Entry {
            Objects.requireNonNull(hostAndPort, "hostAndPort");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }

        /** The host part: a name, an IPv4 address or a bracketed IPv6 address ({@code [::1]}). */
        public String host() {
            int colon = hostAndPort.lastIndexOf(':');
            return colon < 0 || hostAndPort.endsWith("]") ? hostAndPort : hostAndPort.substring(0, colon);
        }

        /** The port, or -1 when the line has none. */
        public int port() {
            int colon = hostAndPort.lastIndexOf(':');
            if (colon < 0 || hostAndPort.endsWith("]")) {
                return -1;
            }
            try {
                return Integer.parseInt(hostAndPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /** For {@link #remove(String, int)}: every port of the host. */
    public static final int ANY_PORT = -1;

    private final Path file;
    private final UnknownServerPolicy unknownServers;
    private final Consumer<String> notices;

    /**
     * A verifier that logs each new pin (slf4j, INFO).
     *
     * @param file           the known-hosts file (need not exist)
     * @param unknownServers what to do with a server the file does not list
     */
    public KnownHostsFile(Path file, UnknownServerPolicy unknownServers) {
        this(file, unknownServers, notice -> LOG.info("{}", LogText.quote(notice)));
    }

    /**
     * @param file           the known-hosts file (need not exist)
     * @param unknownServers what to do with a server the file does not list
     * @param notices        hears one sentence per new pin ("permanently added ... to the list of known servers
     *                       in FILE"), for the user
     */
    public KnownHostsFile(Path file, UnknownServerPolicy unknownServers, Consumer<String> notices) {
        this.file = Objects.requireNonNull(file, "file");
        this.unknownServers = Objects.requireNonNull(unknownServers, "unknownServers");
        this.notices = Objects.requireNonNull(notices, "notices");
    }

    /**
     * The known-hosts file of the {@code mpft} command: {@code <home>/.mpft/known_hosts}.
     *
     * @param home the user's home folder
     */
    public static Path defaultFile(Path home) {
        return home.resolve(".mpft").resolve("known_hosts");
    }

    /** The file this verifier reads and pins into. */
    public Path file() {
        return file;
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
                // the primary's word holds for the download it came with, never for a server the user names:
                // nothing is written, so a primary cannot plant a pin for any host:port it likes
                LOG.debug("secondary {} accepted for this download, vouched for by {}", LogText.quote(hostAndPort), LogText.quote(vouchedBy));
                return;
            }
            if (unknownServers.trust(hostAndPort, certificateSha256.clone())) {
                pin(key, certificateSha256, "'" + hostAndPort + "'");
                return;
            }
            throw refuse("the authenticity of server " + hostAndPort + " can't be established (certificate "
                    + fingerprint(certificateSha256) + ") and it is not in " + file + ": refused");
        }
    }

    /**
     * A fingerprint as ssh shows it and as the file holds it: {@code SHA256:<unpadded base64>}.
     *
     * @param sha256 a certificate's SHA-256 (32 bytes)
     */
    public static String fingerprint(byte[] sha256) {
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

    /**
     * The pinned servers in the file's order (comments, blank and malformed lines left out); empty when
     * the file does not exist.
     *
     * @throws IOException when the file cannot be read
     */
    public synchronized List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Entry entry = parse(line);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * Removes the lines of a server, rewriting the file whole (through a temporary file and an atomic rename,
     * as a pin does); comments, blank lines and other servers' lines stay as they were.
     *
     * @param host the host as the file writes it (IPv6 in brackets: {@code [::1]}); compared case-insensitively
     * @param port the port, or {@link #ANY_PORT} for every line of the host
     * @return the entries removed, empty when nothing matched (the file is then left untouched)
     * @throws IOException when the file cannot be read or written
     */
    public synchronized List<Entry> remove(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        List<Entry> removed = new ArrayList<>();
        if (!Files.exists(file)) {
            return removed;
        }
        synchronized (ACROSS_INSTANCES) {
            try (FileChannel lock = lockAcrossRuns(file.toAbsolutePath().getParent())) {
                removeLocked(host, port, removed);
            }
        }
        return removed;
    }

    private void removeLocked(String host, int port, List<Entry> removed) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Entry entry = parse(line);
            if (entry != null && entry.host().equalsIgnoreCase(host) && (port == ANY_PORT || entry.port() == port)) {
                removed.add(entry);
            } else {
                kept.append(line).append('\n');
            }
        }
        if (!removed.isEmpty()) {
            replace(file.toAbsolutePath().getParent(), kept.toString());
        }
    }

    /** A pinned server's line, or null for a comment, a blank or a malformed line. */
    private static Entry parse(String line) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        String[] fields = trimmed.split("\\s+");
        byte[] sha = fields.length >= 2 ? parseFingerprint(fields[1]) : null;
        return sha == null ? null : new Entry(fields[0], fingerprint(sha));
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

    private static MpftException refuse(String message) {
        return new MpftException(ErrorCode.AUTHENTICATION_FAILED, message);
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
            synchronized (ACROSS_INSTANCES) {
                try (FileChannel lock = lockAcrossRuns(folder)) {
                    List<byte[]> meanwhile = pinned(key); // another mpft run may have pinned it since the check
                    if (meanwhile.stream().anyMatch(pinned -> MessageDigest.isEqual(pinned, sha256))) {
                        return;
                    }
                    if (!meanwhile.isEmpty()) {
                        throw refuse("another mpft run recorded " + what + " in " + file + " with certificate "
                                + fingerprint(meanwhile.get(0)) + " while this one was recording "
                                + fingerprint(sha256) + "; refusing both until you check which is right");
                    }
                    byte[] old = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
                    StringBuilder text = new StringBuilder(new String(old, StandardCharsets.UTF_8));
                    if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                        text.append('\n');
                    }
                    text.append(key).append(' ').append(fingerprint(sha256)).append('\n');
                    replace(folder, text.toString());
                }
            }
        } catch (IOException e) {
            throw refuse("cannot record the certificate of " + key + " in " + file + ": " + e.getMessage());
        }
        notices.accept("permanently added " + what + " (" + fingerprint(sha256)
                + ") to the list of known servers in " + file);
    }

    /**
     * The lock of concurrent mpft runs on this file: an exclusive lock on {@code <file>.lock} in {@code folder}
     * (created, private, when missing), held until the returned channel is closed. Waits for another run's.
     * Callers hold {@link #ACROSS_INSTANCES}: a JVM may not take a file's lock twice.
     */
    private FileChannel lockAcrossRuns(Path folder) throws IOException {
        Path lockFile = folder.resolve(file.getFileName() + ".lock");
        if (!Files.exists(lockFile)) {
            createPrivateFile(lockFile);
        }
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        try {
            channel.lock();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Whole-file rewrite through a temporary file of this run's own: a crash never leaves a torn known_hosts, and
     * two runs never write one temporary file.
     */
    private void replace(Path folder, String text) throws IOException {
        Path temp = createPrivateTempFile(folder, file.getFileName() + ".");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp); // gone after the move; left behind only by a failure
        }
    }

    private static Path createPrivateTempFile(Path folder, String prefix) throws IOException {
        try {
            return Files.createTempFile(folder, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(folder, prefix, ".tmp");
        }
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
            // another mpft run made it first: use theirs
        }
    }
}
