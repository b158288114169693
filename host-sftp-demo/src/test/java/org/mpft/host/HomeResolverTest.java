package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.api.AccessDenied;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;

/** The one path policy, through HomeResolver and through the plugins' FileAccess. */
class HomeResolverTest {

    @TempDir
    Path dir;

    private Path home;
    private HomeResolver resolver;
    private UserAccount bob;
    private HostFileAccess files;

    @BeforeEach
    void setUp() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        home = Files.createDirectories(data.resolve("bob"));
        Files.createDirectories(home.resolve("pub/sub"));
        Files.createDirectories(home.resolve("secret"));
        Files.createDirectories(home.resolve("incoming"));
        Files.writeString(home.resolve("pub/a.txt"), "hello");
        Files.writeString(home.resolve("secret/s.txt"), "secret");
        Files.writeString(dir.resolve("outside.txt"), "outside");
        resolver = new HomeResolver(data);
        bob = new UserAccount("bob", null, null, AccessRules.of(List.of("/pub"), List.of("incoming")));
        Path users = dir.resolve("users.properties");
        UserStore store = UserStore.open(users);
        store.put(bob);
        files = new HostFileAccess(store, resolver);
    }

    @Test
    void normalizeTreatsLeadingSlashAsHomeAndRefusesClimbingOut() throws Exception {
        assertThat(HomeResolver.normalize("/")).isEmpty();
        assertThat(HomeResolver.normalize("")).isEmpty();
        assertThat(HomeResolver.normalize("/pub/./a.txt")).isEqualTo("pub/a.txt");
        assertThat(HomeResolver.normalize("pub//sub/../a.txt")).isEqualTo("pub/a.txt");
        assertThatThrownBy(() -> HomeResolver.normalize("..")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> HomeResolver.normalize("/../bob/pub/a.txt")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> HomeResolver.normalize("pub/../../x")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> HomeResolver.normalize("pub/a\0.txt")).isInstanceOf(InvalidPath.class);
    }

    @Test
    void readsWithinTheRules() throws Exception {
        Files.setLastModifiedTime(home.resolve("pub/a.txt"), FileTime.fromMillis(1_700_000_000_000L));
        try (ReadableFile f = files.openForRead(Principal.of("bob"), "/pub/a.txt")) {
            assertThat(f.size()).isEqualTo(5);
            assertThat(f.lastModifiedMillis()).isEqualTo(1_700_000_000_000L);
            ByteBuffer buf = ByteBuffer.allocate(3);
            assertThat(f.read(buf, 2)).isEqualTo(3);
            assertThat(new String(buf.array(), StandardCharsets.US_ASCII)).isEqualTo("llo");
            assertThat(f.read(ByteBuffer.allocate(1), 5)).isEqualTo(-1);
        }
        assertThat(resolver.readableFile(bob, "pub/sub/../a.txt")).isEqualTo(home.resolve("pub/a.txt").toRealPath());
    }

    @Test
    void outsideTheReadRulesIsDeniedEvenWhenMissing() {
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "secret/s.txt")).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "secret/none")).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "incoming/x")).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> files.openForRead(Principal.of("nobody"), "pub/a.txt")).isInstanceOf(AccessDenied.class);
    }

    @Test
    void missingOrNotRegularIsNoSuchFile() {
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "pub/none.txt")).isInstanceOf(NoSuchFile.class);
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "pub/sub")).isInstanceOf(NoSuchFile.class);
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "pub/a.txt/x")).isInstanceOf(NoSuchFile.class);
    }

    @Test
    void dotDotAboveTheHomeIsInvalid() {
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "../outside.txt")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "/pub/../../bob/pub/a.txt"))
                .isInstanceOf(InvalidPath.class);
    }

    @Test
    void symbolicLinkLeavingTheHomeIsInvalid() throws IOException {
        Files.createSymbolicLink(home.resolve("pub/escape.txt"), dir.resolve("outside.txt"));
        Files.createSymbolicLink(home.resolve("pub/up"), dir);
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "pub/escape.txt")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "pub/up/outside.txt")).isInstanceOf(InvalidPath.class);
        assertThatThrownBy(() -> resolver.listableFolder(bob, "pub/up")).isInstanceOf(InvalidPath.class);
    }

    @Test
    void symbolicLinkIntoAForbiddenFolderIsDenied() throws Exception {
        Files.createSymbolicLink(home.resolve("pub/s.txt"), Path.of("../secret/s.txt"));
        assertThatThrownBy(() -> files.openForRead(Principal.of("bob"), "pub/s.txt")).isInstanceOf(AccessDenied.class);
        // a link inside the rules to a file inside the rules is fine
        Files.createSymbolicLink(home.resolve("pub/sub/a.txt"), Path.of("../a.txt"));
        files.openForRead(Principal.of("bob"), "pub/sub/a.txt").close();
    }

    @Test
    void writeAndListRules() throws Exception {
        assertThat(resolver.writablePath(bob, "/incoming/new.bin")).isEqualTo(home.toRealPath().resolve("incoming/new.bin"));
        assertThatThrownBy(() -> resolver.writablePath(bob, "pub/new.bin")).isInstanceOf(AccessDenied.class);
        assertThatThrownBy(() -> resolver.writablePath(bob, "incoming/nodir/new.bin")).isInstanceOf(NoSuchFile.class);
        assertThatThrownBy(() -> resolver.writablePath(bob, "/")).isInstanceOf(AccessDenied.class);
        Files.createSymbolicLink(home.resolve("incoming/out"), dir.resolve("outside.txt"));
        assertThatThrownBy(() -> resolver.writablePath(bob, "incoming/out")).isInstanceOf(InvalidPath.class);
        assertThat(resolver.listableFolder(bob, "/")).isEqualTo(home.toRealPath());
        assertThat(resolver.listableFolder(bob, "pub/sub")).isEqualTo(home.resolve("pub/sub").toRealPath());
        assertThatThrownBy(() -> resolver.listableFolder(bob, "secret")).isInstanceOf(AccessDenied.class);
    }
}
