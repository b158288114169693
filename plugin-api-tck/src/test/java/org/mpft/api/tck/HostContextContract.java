package org.mpft.api.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.api.AccessDenied;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.DirectoryEntry;
import org.mpft.api.DirectoryPage;
import org.mpft.api.Authenticator;
import org.mpft.api.FileAccess;
import org.mpft.api.FileIdentity;
import org.mpft.api.HostContext;
import org.mpft.api.HostException;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;

/**
 * The host TCK: what every {@link HostContext} must answer, as {@code plugin-api} specifies it. A host
 * subclasses this class in its own tests and returns its {@link HostFixture} from {@link #createFixture}.
 *
 * <p>Users: {@code alice} (password {@value #ALICE_PASSWORD}, an Ed25519 and an RSA key), {@code bob}
 * (password {@value #BOB_PASSWORD}, no key). Files are put straight into the users' roots.
 *
 * <p>"The same answer as the host's own protocol": for the same user and path, the host's protocol
 * ({@link HostFixture#readWithOwnProtocol}) and {@link FileAccess#openForRead} both serve the same bytes
 * or both refuse. Paths that the contract refuses whatever the protocol does (symbolic links out of the
 * root, files with several hard links unless the host allows them) are checked on the channel only; when
 * the host's own protocol serves one, the test publishes a report entry (JUnit {@code TestReporter}) and
 * prints a line ({@code host TCK: ...}) naming it: a weakness of the host's protocol that the channel does not share. (MINA SSHD's
 * {@code VirtualFileSystemFactory}, for one, lets SFTP follow a link out of the user's root.)
 */
@Timeout(120)
public abstract class HostContextContract {

    /** alice's password. */
    protected static final String ALICE_PASSWORD = "alice-pw";
    /** bob's password. */
    protected static final String BOB_PASSWORD = "bob-pw";

    private static final byte[] CONTENT = "the contents of a file served by the host\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HostFixture fixture;
    private HostContext context;
    private KeyPair aliceEd25519;
    private KeyPair aliceRsa;
    private KeyPair stranger;

    /**
     * The host under test, with no user yet.
     *
     * @param dir a folder of the test's for the host's files
     */
    protected abstract HostFixture createFixture(Path dir) throws Exception;

    @BeforeEach
    final void startHost() throws Exception {
        aliceEd25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        aliceRsa = rsa.generateKeyPair();
        stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        fixture = createFixture(Files.createDirectories(dir.resolve("host")));
        fixture.addUser("alice", ALICE_PASSWORD, List.of(OpenSshKeys.authorizedKeyLine(aliceEd25519.getPublic()),
                OpenSshKeys.authorizedKeyLine(aliceRsa.getPublic())));
        fixture.addUser("bob", BOB_PASSWORD, List.of());
        context = fixture.start(Files.createDirectories(dir.resolve("plugin-data")));
        Files.write(Files.createDirectories(fixture.root("alice").resolve("pub")).resolve("file.txt"), CONTENT);
        Files.write(fixture.root("bob").resolve("bob.txt"), CONTENT);
    }

    @AfterEach
    final void stopHost() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    // ---- logins

    @Test
    void aPasswordLogsTheUserIn() throws Exception {
        Principal p = auth().authenticatePassword("alice", ALICE_PASSWORD.toCharArray());
        assertThat(p.name()).isEqualTo("alice");
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> auth().authenticatePassword("alice", "wrong".toCharArray()))
                .isInstanceOf(AuthenticationFailed.class);
        assertThatThrownBy(() -> auth().authenticatePassword("alice", BOB_PASSWORD.toCharArray()))
                .isInstanceOf(AuthenticationFailed.class);
    }

    @Test
    void anUnknownUserIsRefusedWithTheSameMessageAsAWrongPassword() {
        Throwable unknown = catchHost(() -> auth().authenticatePassword("mallory", ALICE_PASSWORD.toCharArray()));
        Throwable wrong = catchHost(() -> auth().authenticatePassword("alice", "wrong".toCharArray()));
        assertThat(unknown).isInstanceOf(AuthenticationFailed.class);
        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
    }

    @Test
    void anEd25519KeyWithAGoodSignatureLogsTheUserIn() throws Exception {
        byte[] challenge = challenge();
        Principal p = auth().authenticatePublicKey("alice", aliceEd25519.getPublic(), challenge,
                sign("Ed25519", aliceEd25519.getPrivate(), challenge));
        assertThat(p.name()).isEqualTo("alice");
    }

    @Test
    void anRsaKeyWithAGoodSignatureLogsTheUserIn() throws Exception {
        byte[] challenge = challenge();
        Principal p = auth().authenticatePublicKey("alice", aliceRsa.getPublic(), challenge,
                sign("SHA256withRSA", aliceRsa.getPrivate(), challenge));
        assertThat(p.name()).isEqualTo("alice");
    }

    @Test
    void aKeyThatIsNotTheUsersIsRefused() throws Exception {
        byte[] challenge = challenge();
        byte[] signature = sign("Ed25519", stranger.getPrivate(), challenge);
        assertThatThrownBy(() -> auth().authenticatePublicKey("alice", stranger.getPublic(), challenge, signature))
                .isInstanceOf(AuthenticationFailed.class);
        byte[] alices = sign("Ed25519", aliceEd25519.getPrivate(), challenge);
        assertThatThrownBy(() -> auth().authenticatePublicKey("bob", aliceEd25519.getPublic(), challenge, alices))
                .isInstanceOf(AuthenticationFailed.class);
        assertThatThrownBy(() -> auth().authenticatePublicKey("mallory", aliceEd25519.getPublic(), challenge, alices))
                .isInstanceOf(AuthenticationFailed.class);
    }

    @Test
    void aBadSignatureWithTheUsersKeyIsRefused() throws Exception {
        byte[] challenge = challenge();
        byte[] overOther = sign("Ed25519", aliceEd25519.getPrivate(), "other data".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> auth().authenticatePublicKey("alice", aliceEd25519.getPublic(), challenge, overOther))
                .isInstanceOf(AuthenticationFailed.class);
        byte[] bySomeoneElse = sign("Ed25519", stranger.getPrivate(), challenge);
        assertThatThrownBy(() -> auth().authenticatePublicKey("alice", aliceEd25519.getPublic(), challenge, bySomeoneElse))
                .isInstanceOf(AuthenticationFailed.class);
        assertThatThrownBy(() -> auth().authenticatePublicKey("alice", aliceEd25519.getPublic(), challenge, new byte[64]))
                .isInstanceOf(AuthenticationFailed.class);
    }

    @Test
    void lookupFindsUsersAndRefusesUnknownOnes() throws Exception {
        assertThat(auth().lookup("alice").name()).isEqualTo("alice");
        assertThat(auth().lookup("bob").name()).isEqualTo("bob");
        assertThatThrownBy(() -> auth().lookup("mallory")).isInstanceOf(AuthenticationFailed.class);
    }

    // ---- files

    @Test
    void aFileIsServedWithItsSizeTimeAndBytes() throws Exception {
        Path file = fixture.root("alice").resolve("pub/file.txt");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
        try (ReadableFile f = files().openForRead(alice(), "pub/file.txt")) {
            assertThat(f.size()).isEqualTo(CONTENT.length);
            assertThat(f.lastModifiedMillis()).isEqualTo(1_700_000_000_000L);
            assertThat(readAll(f)).isEqualTo(CONTENT);
        }
    }

    @Test
    void theIdentityMatchesTheOpenedFileAndMovesWhenTheFileIsWrittenInPlace() throws Exception {
        Path file = fixture.root("alice").resolve("pub/file.txt");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
        try (ReadableFile f = files().openForRead(alice(), "pub/file.txt")) {
            FileIdentity before = f.identity();
            assertThat(before.size()).isEqualTo(f.size());
            assertThat(before.modified().toMillis()).isEqualTo(f.lastModifiedMillis());
            assertThat(f.identity()).as("nothing changed").isEqualTo(before);
            // the host that keeps the default never sees a change: nothing more to check of it
            assumeTrue(before.fileKey() != null || before.changed() != null
                    || !before.equals(new FileIdentity(f.size(), FileTime.fromMillis(f.lastModifiedMillis()), null,
                            null)), "the host keeps the default identity");
            byte[] rewritten = CONTENT.clone();
            rewritten[0] ^= 1;
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(rewritten), 0); // same size, in place: same inode
            }
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_005_000L));
            assertThat(f.identity()).as("written in place").isNotEqualTo(before);
        }
    }

    @Test
    void aLeadingSlashIsTheUsersRoot() throws Exception {
        try (ReadableFile f = files().openForRead(alice(), "/pub/file.txt")) {
            assertThat(readAll(f)).isEqualTo(CONTENT);
        }
        try (ReadableFile f = files().openForRead(alice(), "pub/./../pub//file.txt")) {
            assertThat(readAll(f)).isEqualTo(CONTENT);
        }
    }

    @Test
    void dotDotAboveTheRootIsAnInvalidPath() {
        for (String path : List.of("..", "../bob/bob.txt", "pub/../../bob/bob.txt", "/../../etc/passwd")) {
            assertThatThrownBy(() -> files().openForRead(alice(), path)).as(path).isInstanceOf(InvalidPath.class);
        }
    }

    @Test
    void anAbsolutePathOfTheMachineIsNotServed() throws Exception {
        Path outside = Files.write(dir.resolve("outside.txt"), "outside".getBytes(StandardCharsets.UTF_8));
        String absolute = outside.toAbsolutePath().toString();
        assertThatThrownBy(() -> files().openForRead(alice(), absolute)).isInstanceOfAny(NoSuchFile.class, InvalidPath.class);
        assertThatThrownBy(() -> files().openForRead(alice(), fixture.root("bob").resolve("bob.txt").toString()))
                .isInstanceOfAny(NoSuchFile.class, InvalidPath.class);
    }

    @Test
    void aNulCharacterIsAnInvalidPath() {
        assertThatThrownBy(() -> files().openForRead(alice(), "pub/file.txt\0.jpg")).isInstanceOf(InvalidPath.class);
    }

    @Test
    void aSymbolicLinkInsideTheRootIsFollowed() throws Exception {
        Files.createSymbolicLink(fixture.root("alice").resolve("link.txt"), Path.of("pub/file.txt"));
        try (ReadableFile f = files().openForRead(alice(), "link.txt")) {
            assertThat(readAll(f)).isEqualTo(CONTENT);
        }
    }

    @Test
    void symbolicLinksOutOfTheRootAreInvalidPaths() throws Exception {
        Path outside = Files.write(dir.resolve("outside.txt"), "outside".getBytes(StandardCharsets.UTF_8));
        Path root = fixture.root("alice");
        Files.createSymbolicLink(root.resolve("abs.txt"), outside.toAbsolutePath());
        Files.createSymbolicLink(root.resolve("bobs.txt"), fixture.root("bob").resolve("bob.txt").toAbsolutePath());
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("tmp"), dir.toAbsolutePath());
        for (String path : List.of("abs.txt", "bobs.txt", "up/bob/bob.txt", "tmp/outside.txt")) {
            assertThatThrownBy(() -> files().openForRead(alice(), path)).as(path).isInstanceOf(InvalidPath.class);
        }
    }

    @Test
    void aHardLinkIsRefusedUnlessTheHostAllowsThem() throws Exception {
        Path outside = Files.write(dir.resolve("outside.txt"), CONTENT);
        Files.createLink(fixture.root("alice").resolve("hard.txt"), outside);
        if (fixture.allowsHardLinks()) {
            try (ReadableFile f = files().openForRead(alice(), "hard.txt")) {
                assertThat(readAll(f)).isEqualTo(CONTENT);
            }
        } else {
            assertThatThrownBy(() -> files().openForRead(alice(), "hard.txt")).isInstanceOf(AccessDenied.class);
        }
    }

    @Test
    void missingFilesAndFoldersAreNoSuchFile() throws Exception {
        Files.createDirectories(fixture.root("alice").resolve("folder"));
        Files.createSymbolicLink(fixture.root("alice").resolve("dangling"), Path.of("nothing-here"));
        for (String path : List.of("missing.txt", "pub/missing.txt", "nofolder/file.txt", "folder", "pub",
                "pub/file.txt/below", "dangling")) {
            assertThatThrownBy(() -> files().openForRead(alice(), path)).as(path).isInstanceOf(NoSuchFile.class);
        }
    }

    @Test
    void aPathOutsideTheUsersRightsIsAccessDenied() throws Exception {
        Files.write(Files.createDirectories(fixture.root("alice").resolve("secret")).resolve("no.txt"), CONTENT);
        assumeTrue(fixture.restrictReadTo("alice", "pub"), "the host has no per-path read rules");
        assertThatThrownBy(() -> files().openForRead(alice(), "secret/no.txt")).isInstanceOf(AccessDenied.class);
        try (ReadableFile f = files().openForRead(alice(), "pub/file.txt")) {
            assertThat(readAll(f)).isEqualTo(CONTENT);
        }
    }

    @Test
    void theAnswersAreThoseOfTheHostsOwnProtocol(TestReporter report) throws Exception {
        Path root = fixture.root("alice");
        Path outside = Files.write(dir.resolve("outside.txt"), "outside".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(root.resolve("link.txt"), Path.of("pub/file.txt"));
        Files.createSymbolicLink(root.resolve("abs.txt"), outside.toAbsolutePath());
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        Files.createLink(root.resolve("hard.txt"), outside);
        Files.write(Files.createDirectories(root.resolve("secret")).resolve("no.txt"), CONTENT);
        fixture.restrictReadTo("alice", "pub");
        List<String> paths = List.of("pub/file.txt", "/pub/file.txt", "pub/./file.txt", "missing.txt", "pub",
                "link.txt", "../bob/bob.txt", outside.toAbsolutePath().toString(), "secret/no.txt");
        Map<String, String> differences = new LinkedHashMap<>();
        for (String path : paths) {
            byte[] own = fixture.readWithOwnProtocol("alice", ALICE_PASSWORD, path);
            byte[] channel = readOrNull(path);
            if (!Arrays.equals(own, channel)) {
                differences.put(path, "own protocol " + describe(own) + ", plugin channel " + describe(channel));
            }
        }
        assertThat(differences).as("paths answered differently").isEmpty();

        // what the contract refuses whatever the protocol does: the channel refuses, and where the host's
        // own protocol serves it, the report says so (a weakness of the host's protocol, not of the channel)
        List<String> refused = new java.util.ArrayList<>(List.of("abs.txt", "up/bob/bob.txt"));
        if (!fixture.allowsHardLinks()) {
            refused.add("hard.txt");
        }
        for (String path : refused) {
            assertThat(readOrNull(path)).as(path).isNull();
            if (fixture.readWithOwnProtocol("alice", ALICE_PASSWORD, path) != null) {
                report.publishEntry("own protocol serves what the contract refuses", path);
                // Surefire does not print report entries: say it on the test's output too
                System.out.println("host TCK: " + getClass().getSimpleName()
                        + ": the host's own protocol serves what the contract refuses: " + path);
            }
        }
    }

    // ---- listing

    @Test
    void listingTheRootGivesItsFilesAndFoldersByNameWithSizeAndTime() throws Exception {
        Path root = fixture.root("alice");
        Files.write(root.resolve("b.txt"), CONTENT);
        Files.setLastModifiedTime(root.resolve("b.txt"), FileTime.fromMillis(1_700_000_000_000L));
        Files.createDirectories(root.resolve("a-folder"));
        for (String path : List.of("", "/", ".")) {
            DirectoryPage page = files().list(alice(), path, null, 100);
            assertThat(page.more()).as(path).isFalse();
            assertThat(page.entries()).extracting(DirectoryEntry::name).as(path).containsExactly("a-folder", "b.txt", "pub");
            assertThat(page.entries()).extracting(DirectoryEntry::type).as(path).containsExactly(
                    DirectoryEntry.Type.DIRECTORY, DirectoryEntry.Type.FILE, DirectoryEntry.Type.DIRECTORY);
            DirectoryEntry file = page.entries().get(1);
            assertThat(file.size()).isEqualTo(CONTENT.length);
            assertThat(file.modifiedMillis()).isEqualTo(1_700_000_000_000L);
        }
    }

    @Test
    void entriesCarryTheirPermissionBitsOrSayTheyHaveNone() throws Exception {
        Path root = fixture.root("alice");
        Path file = Files.write(root.resolve("modes.txt"), CONTENT);
        Path folder = Files.createDirectories(root.resolve("modes-folder"));
        Files.createSymbolicLink(root.resolve("modes-link"), Path.of("modes.txt"));
        boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
            Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x--x"));
        }
        List<DirectoryEntry> entries = files().list(alice(), "", "modes", 10).entries();
        assertThat(entries).extracting(DirectoryEntry::name).startsWith("modes-folder", "modes-link", "modes.txt");
        int folderMode = entries.get(0).permissions();
        int linkMode = entries.get(1).permissions();
        int fileMode = entries.get(2).permissions();
        if (fileMode == DirectoryEntry.UNKNOWN_PERMISSIONS) {
            assertThat(List.of(folderMode, linkMode)).as("a host without modes reports none for any entry")
                    .containsOnly(DirectoryEntry.UNKNOWN_PERMISSIONS);
            return;
        }
        assumeTrue(posix, "the test's file system cannot set modes");
        assertThat(fileMode).as("modes.txt").isEqualTo(0640);
        assertThat(folderMode).as("modes-folder").isEqualTo(0751);
        assertThat(linkMode).as("a link inside the root shows what it leads to").isEqualTo(0640);
    }

    @Test
    void aSubfolderIsListedWithItsOwnEntries() throws Exception {
        Files.createDirectories(fixture.root("alice").resolve("pub/inner"));
        DirectoryPage page = files().list(alice(), "pub", "", 100);
        assertThat(page.entries()).extracting(DirectoryEntry::name).containsExactly("file.txt", "inner");
        assertThat(files().list(alice(), "/pub/inner/", null, 100).entries()).isEmpty();
    }

    @Test
    void aMissingFolderOrAFileIsNoSuchFile() {
        for (String path : List.of("missing", "pub/missing", "pub/file.txt")) {
            assertThatThrownBy(() -> files().list(alice(), path, null, 10)).as(path).isInstanceOf(NoSuchFile.class);
        }
    }

    @Test
    void listingAboveTheRootIsAnInvalidPath() {
        for (String path : List.of("..", "pub/../..", "/../bob")) {
            assertThatThrownBy(() -> files().list(alice(), path, null, 10)).as(path).isInstanceOf(InvalidPath.class);
        }
    }

    @Test
    void aFolderOutsideTheUsersRightsIsRefusedAndItsEntriesLeftOut() throws Exception {
        Files.write(Files.createDirectories(fixture.root("alice").resolve("secret")).resolve("no.txt"), CONTENT);
        Files.write(fixture.root("alice").resolve("top.txt"), CONTENT);
        assumeTrue(fixture.restrictReadTo("alice", "pub"), "the host has no per-path read rules");
        assertThatThrownBy(() -> files().list(alice(), "secret", null, 10)).isInstanceOf(AccessDenied.class);
        assertThat(files().list(alice(), "", null, 10).entries()).extracting(DirectoryEntry::name)
                .containsExactly("pub");
        assertThat(files().list(alice(), "pub", null, 10).entries()).extracting(DirectoryEntry::name)
                .containsExactly("file.txt");
    }

    @Test
    void symbolicLinksOutOfTheRootAreNeitherListedNorFollowed() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside-folder"));
        Files.write(outside.resolve("o.txt"), CONTENT);
        Path root = fixture.root("alice");
        Files.createSymbolicLink(root.resolve("abs.txt"), outside.resolve("o.txt").toAbsolutePath());
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("tmp"), outside.toAbsolutePath());
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("nothing-here"));
        Files.createSymbolicLink(root.resolve("link.txt"), Path.of("pub/file.txt"));
        Files.createSymbolicLink(root.resolve("pub-link"), Path.of("pub"));
        DirectoryPage page = files().list(alice(), "", null, 100);
        assertThat(page.entries()).extracting(DirectoryEntry::name).containsExactly("link.txt", "pub", "pub-link");
        assertThat(page.entries()).extracting(DirectoryEntry::type).containsExactly(
                DirectoryEntry.Type.FILE, DirectoryEntry.Type.DIRECTORY, DirectoryEntry.Type.DIRECTORY);
        assertThat(page.entries().get(0).size()).isEqualTo(CONTENT.length);
        for (String path : List.of("tmp", "up", "up/bob")) {
            assertThatThrownBy(() -> files().list(alice(), path, null, 10)).as(path).isInstanceOf(InvalidPath.class);
        }
        assertThat(files().list(alice(), "pub-link", null, 10).entries()).extracting(DirectoryEntry::name)
                .containsExactly("file.txt");
    }

    @Test
    void aBigFolderIsListedInPagesThatTogetherHoldEveryEntryOnce() throws Exception {
        Path big = Files.createDirectories(fixture.root("alice").resolve("big"));
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = String.format("f%03d", i);
            Files.write(big.resolve(name), CONTENT);
            expected.add(name);
        }
        List<String> seen = new java.util.ArrayList<>();
        String after = null;
        int pages = 0;
        DirectoryPage page;
        do {
            page = files().list(alice(), "big", after, 10);
            assertThat(page.entries()).hasSizeLessThanOrEqualTo(10);
            page.entries().forEach(e -> seen.add(e.name()));
            after = seen.get(seen.size() - 1);
            pages++;
        } while (page.more());
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(files().list(alice(), "big", "f019", 100).entries()).extracting(DirectoryEntry::name)
                .containsExactly("f020", "f021", "f022", "f023", "f024");
        assertThat(files().list(alice(), "big", "f024", 100)).isEqualTo(new DirectoryPage(List.of(), false));
        DirectoryPage exact = files().list(alice(), "big", "f014", 10);
        assertThat(exact.entries()).hasSize(10);
        assertThat(exact.more()).as("nothing after the 10 last entries").isFalse();
    }

    private byte[] readOrNull(String path) throws IOException {
        try (ReadableFile f = files().openForRead(alice(), path)) {
            return readAll(f);
        } catch (HostException e) {
            return null;
        }
    }

    // ---- helpers

    private Authenticator auth() {
        return context.authenticator();
    }

    private FileAccess files() {
        return context.fileAccess();
    }

    private static Principal alice() {
        return Principal.of("alice");
    }

    private static byte[] challenge() {
        byte[] c = new byte[32];
        new java.security.SecureRandom().nextBytes(c);
        return c;
    }

    private static byte[] sign(String algorithm, PrivateKey key, byte[] data) throws Exception {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    /** Reads a whole file with positional reads, as the plugin does. */
    private static byte[] readAll(ReadableFile f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long pos = 0;
        int n;
        while ((n = f.read(buf.clear(), pos)) > 0) {
            out.write(buf.array(), 0, n);
            pos += n;
        }
        return out.toByteArray();
    }

    private interface HostCall {
        void run() throws Exception;
    }

    private static Throwable catchHost(HostCall call) {
        try {
            call.run();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("no exception");
    }

    private static String describe(byte[] bytes) {
        return bytes == null ? "refused" : "served " + bytes.length + " bytes";
    }
}
