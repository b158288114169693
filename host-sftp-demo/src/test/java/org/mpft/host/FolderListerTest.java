package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.api.DirectoryEntry;

/**
 * The listing judges an entry that is no symbolic link from its {@code lstat} alone; what it lists must be what
 * the resolver, which resolves each entry's whole path as a download would, makes of the same entries.
 */
class FolderListerTest {

    @TempDir
    Path dir;

    private Path data;
    private UserAccount bob;

    @BeforeEach
    void setUp() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        Path home = Files.createDirectories(data.resolve("bob"));
        Path pub = Files.createDirectories(home.resolve("pub"));
        Files.writeString(pub.resolve("a.txt"), "hello");
        Files.setPosixFilePermissions(pub.resolve("a.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.writeString(Files.createDirectories(pub.resolve("sub")).resolve("deep.txt"), "deep");
        Files.createLink(pub.resolve("hard"), Files.writeString(dir.resolve("outside-hard"), "outside"));
        Files.createSymbolicLink(pub.resolve("link.txt"), Path.of("a.txt"));
        Files.createSymbolicLink(pub.resolve("sub-link"), Path.of("sub"));
        Files.createSymbolicLink(pub.resolve("up"), Path.of(".."));
        Files.createSymbolicLink(pub.resolve("secret-link"), Path.of("../secret"));
        Files.createSymbolicLink(pub.resolve("out.txt"), Files.writeString(dir.resolve("outside.txt"), "out"));
        Files.createSymbolicLink(pub.resolve("dangling"), Path.of("nothing-here"));
        Files.writeString(Files.createDirectories(home.resolve("secret")).resolve("s.txt"), "secret");
        Files.createSymbolicLink(home.resolve("pub-link"), Path.of("pub"));
        bob = new UserAccount("bob", null, null, AccessRules.of(List.of("/pub", "/pub-link"), List.of()));
    }

    @Test
    void whatIsListedIsWhatTheResolverMakesOfEachEntry() throws Exception {
        for (boolean hardLinks : new boolean[] {false, true}) {
            FolderLister lister = new FolderLister(new HomeResolver(data, hardLinks));
            for (String folder : List.of("", "pub", "pub/sub", "pub-link", "pub/sub-link")) {
                List<DirectoryEntry> expected = new ArrayList<>();
                try (Stream<Path> names = Files.list(data.resolve("bob").resolve(folder))) {
                    for (String name : names.map(p -> p.getFileName().toString()).sorted().toList()) {
                        DirectoryEntry entry = lister.resolved(bob, folder.isEmpty() ? name : folder + "/" + name, name);
                        if (entry != null) {
                            expected.add(entry);
                        }
                    }
                }
                assertThat(lister.list(bob, folder, "", 100).entries()).as("%s, hard links %s", folder, hardLinks)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void filesFoldersAndLinksAreListedAsTheUserMayOpenThem() throws Exception {
        FolderLister lister = new FolderLister(new HomeResolver(data));
        List<DirectoryEntry> pub = lister.list(bob, "pub", "", 100).entries();
        // "up" leads to the home, which the user may list; the links out of the rules or the home are left out
        assertThat(pub).extracting(DirectoryEntry::name).containsExactly("a.txt", "link.txt", "sub", "sub-link", "up");
        assertThat(pub.get(0)).extracting(DirectoryEntry::type, DirectoryEntry::size, DirectoryEntry::permissions)
                .containsExactly(DirectoryEntry.Type.FILE, 5L, 0640);
        assertThat(pub.get(2).type()).isEqualTo(DirectoryEntry.Type.DIRECTORY);
        assertThat(lister.list(bob, "", "", 100).entries()).extracting(DirectoryEntry::name)
                .containsExactly("pub", "pub-link");
        assertThat(new FolderLister(new HomeResolver(data, true)).list(bob, "pub", "", 100).entries())
                .extracting(DirectoryEntry::name).contains("hard");
    }
}
