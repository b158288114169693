package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SFTP side of the check-then-open race: {@link RuleEnforcingSftpAccessor#openFile} checks a path and
 * then opens it beneath the home without following links, so a symbolic link swapped in between the check
 * and the open (the hook runs exactly there) is refused and nothing behind it is read. Also: files with
 * several hard links are refused for reading and writing unless {@code files.allow-hard-links}.
 */
class SftpOpenRaceTest {

    /** One PBKDF2 hash for every test (it takes a while on a loaded machine). */
    private static final String HASH = PasswordHasher.hash("pw".toCharArray());

    @TempDir
    Path dir;

    private Path data;
    private Path home;
    private UserStore users;
    private FileSystem rooted;

    @BeforeEach
    void setUp() throws Exception {
        data = dir.resolve("data");
        home = Files.createDirectories(data.resolve("alice"));
        Files.createDirectories(home.resolve("pub/d"));
        Files.createDirectories(home.resolve("private"));
        Files.writeString(home.resolve("pub/f"), "inside");
        Files.writeString(home.resolve("pub/d/f"), "inside too");
        Files.writeString(home.resolve("private/secret"), "SECRET");
        users = UserStore.open(dir.resolve("users.properties"));
        users.put(new UserAccount("alice", HASH, null,
                AccessRules.of(List.of("/pub"), List.of("/pub"))));
        rooted = new RootedFileSystemProvider().newFileSystem(home, Map.of());
    }

    @Test
    void theCheckedFileIsServed() throws Exception {
        RuleEnforcingSftpAccessor sftp = new RuleEnforcingSftpAccessor(users, new HomeResolver(data));
        assertThat(read(sftp, "/pub/f")).isEqualTo("inside");
        assertThat(read(sftp, "/pub/d/f")).isEqualTo("inside too");
    }

    @Test
    void aFileSwappedForALinkBetweenCheckAndOpenIsRefused() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside-canary"), "CANARY");
        Path canaryOutside = ageAccessTime(outside);
        Path canaryInside = ageAccessTime(home.resolve("private/secret"));
        FileTime before = atime(canaryOutside);
        FileTime beforeInside = atime(canaryInside);
        // out of the home, and to a file inside the home but outside the user's rules
        for (Path target : List.of(outside, home.resolve("private/secret"))) {
            RuleEnforcingSftpAccessor sftp = new RuleEnforcingSftpAccessor(users, new HomeResolver(data),
                    swap(home.resolve("pub/f"), target));
            assertThatThrownBy(() -> read(sftp, "/pub/f")).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("changed while it was opened");
            Files.delete(home.resolve("pub/f"));
            Files.writeString(home.resolve("pub/f"), "inside");
        }
        assertThat(atime(canaryOutside)).as("nothing outside read").isEqualTo(before);
        assertThat(atime(canaryInside)).as("nothing outside the rules read").isEqualTo(beforeInside);
    }

    @Test
    void aFolderOnTheWaySwappedForALinkIsRefused() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("f"), "CANARY");
        RuleEnforcingSftpAccessor sftp = new RuleEnforcingSftpAccessor(users, new HomeResolver(data), real -> {
            try {
                Files.move(home.resolve("pub/d"), home.resolve("pub/d.old"));
                Files.createSymbolicLink(home.resolve("pub/d"), outside);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> read(sftp, "/pub/d/f")).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void aWriteThroughASwappedLinkIsRefused() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside-target"), "UNTOUCHED");
        RuleEnforcingSftpAccessor sftp = new RuleEnforcingSftpAccessor(users, new HomeResolver(data),
                swap(home.resolve("pub/f"), outside));
        assertThatThrownBy(() -> sftp.openFile(session(), null, rooted.getPath("/pub/f"), "h",
                Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)).close())
                .isInstanceOf(AccessDeniedException.class);
        assertThat(Files.readString(outside)).isEqualTo("UNTOUCHED");
    }

    @Test
    void filesWithSeveralHardLinksAreRefusedUnlessAllowed() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside-hard"), "CANARY");
        Files.createLink(home.resolve("pub/hard"), outside);
        RuleEnforcingSftpAccessor sftp = new RuleEnforcingSftpAccessor(users, new HomeResolver(data));
        assertThatThrownBy(() -> read(sftp, "/pub/hard")).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("more than one hard link").hasMessageContaining("files.allow-hard-links");
        assertThatThrownBy(() -> sftp.openFile(session(), null, rooted.getPath("/pub/hard"), "h",
                Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)).close())
                .isInstanceOf(AccessDeniedException.class);
        assertThat(Files.readString(outside)).isEqualTo("CANARY");
        RuleEnforcingSftpAccessor allowing = new RuleEnforcingSftpAccessor(users, new HomeResolver(data, true));
        assertThat(read(allowing, "/pub/hard")).isEqualTo("CANARY");
    }

    @Test
    void theHostsFileAccessGivesTheSameAnswerForAHardLink() throws Exception {
        Files.createLink(home.resolve("pub/hard"), Files.writeString(dir.resolve("outside-hard"), "CANARY"));
        HostFileAccess files = new HostFileAccess(users, new HomeResolver(data));
        assertThatThrownBy(() -> files.openForRead(new org.mpft.api.Principal("alice", Set.of()), "pub/hard"))
                .isInstanceOf(org.mpft.api.AccessDenied.class)
                .hasMessageContaining("more than one hard link");
    }

    /** A hook that replaces {@code file} by a symbolic link to {@code target}. */
    private static Consumer<Path> swap(Path file, Path target) {
        return real -> {
            try {
                Path tmp = file.resolveSibling(file.getFileName() + ".lnk");
                Files.createSymbolicLink(tmp, target);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static FileTime atime(Path file) throws Exception {
        return (FileTime) Files.getAttribute(file, "lastAccessTime");
    }

    private static Path ageAccessTime(Path file) throws Exception {
        Files.setAttribute(file, "lastAccessTime", FileTime.from(Instant.now().minus(3, ChronoUnit.DAYS)));
        return file;
    }

    private String read(RuleEnforcingSftpAccessor sftp, String path) throws Exception {
        try (SeekableByteChannel ch = sftp.openFile(session(), null, rooted.getPath(path), "h",
                Set.of(StandardOpenOption.READ))) {
            ByteBuffer buf = ByteBuffer.allocate(64);
            ch.read(buf);
            return new String(buf.array(), 0, buf.position());
        }
    }

    /** A subsystem whose session's user is alice (the accessor asks nothing else). */
    private static SftpSubsystemProxy session() {
        ServerSession session = (ServerSession) Proxy.newProxyInstance(SftpOpenRaceTest.class.getClassLoader(),
                new Class<?>[] {ServerSession.class}, (p, m, a) -> switch (m.getName()) {
                    case "getUsername" -> "alice";
                    case "toString" -> "session of alice";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (SftpSubsystemProxy) Proxy.newProxyInstance(SftpOpenRaceTest.class.getClassLoader(),
                new Class<?>[] {SftpSubsystemProxy.class}, (p, m, a) -> switch (m.getName()) {
                    case "getServerSession" -> session;
                    case "toString" -> "sftp of alice";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
