package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;

/**
 * {@link RemoteTree} over a FAKE listing source (a map of folders to entries): the matching and walking are
 * the client's own logic; the real server's listings are exercised by {@code CliTreeIT}.
 */
class RemoteTreeTest {

    /** A fake server: folder -> its entries by name; folders not in the map are FILE_NOT_FOUND. */
    private final Map<String, TreeMap<String, ListingEntry>> folders = new TreeMap<>();
    private final List<String> asked = new ArrayList<>();

    private final RemoteTree.FolderSource source = (folder, max) -> {
        asked.add(folder);
        TreeMap<String, ListingEntry> entries = folders.get(folder);
        if (entries == null) {
            throw new MpftException(ErrorCode.FILE_NOT_FOUND, "no such folder: " + folder);
        }
        if (entries.size() > max) {
            throw new MpftException(ErrorCode.LIMIT_EXCEEDED, folder + " holds more than " + max + " entries");
        }
        return List.copyOf(entries.values());
    };

    private void file(String path, long size) {
        add(path, ListingEntry.Type.FILE, size);
    }

    private void add(String path, ListingEntry.Type type, long size) {
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        folders.computeIfAbsent(parent, p -> new TreeMap<>()).put(name, new ListingEntry(name, type, size, 1000, 0644));
        if (!parent.isEmpty()) {
            add(parent, ListingEntry.Type.DIRECTORY, 4096);
        }
        if (type == ListingEntry.Type.DIRECTORY) {
            folders.computeIfAbsent(path, p -> new TreeMap<>());
        }
    }

    private RemoteTree tree() {
        return new RemoteTree(source, 1_000, 8);
    }

    @Test
    void aPatternIsMatchedSegmentBySegmentAgainstTheListings() throws Exception {
        file("logs/2026-01/a.gz", 1);
        file("logs/2026-01/a.txt", 1);
        file("logs/2026-02/b.gz", 2);
        file("logs/2025-12/c.gz", 3);
        file("logs/2026-notes.gz", 4); // a file where a folder is wanted: not descended into
        List<RemoteTree.Entry> matches = tree().expand("logs/2026-*/*.gz");
        assertThat(matches).extracting(RemoteTree.Entry::path).containsExactly("logs/2026-01/a.gz", "logs/2026-02/b.gz");
        assertThat(matches.get(1).listing().size()).isEqualTo(2);
        assertThat(matches.get(1).listing().permissions()).isEqualTo(0644);
        assertThat(asked).containsExactly("logs", "logs/2026-01", "logs/2026-02");
    }

    @Test
    void aLiteralPathIsLookedUpInItsFolderAndUnlistedOnesAreLeftToTheServer() throws Exception {
        file("pub/a.txt", 5);
        add("pub/dir", ListingEntry.Type.DIRECTORY, 4096);
        assertThat(tree().expand("/pub/a.txt/")).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("pub/a.txt");
            assertThat(e.listing().size()).isEqualTo(5);
            assertThat(e.isFolder()).isFalse();
        });
        assertThat(tree().expand("pub/dir")).singleElement().satisfies(e -> assertThat(e.isFolder()).isTrue());
        // not listed (hidden by the read rules, or missing): the server's OPEN says which
        assertThat(tree().expand("pub/secret.txt")).singleElement()
                .satisfies(e -> assertThat(e.listing()).isNull());
        assertThat(tree().expand("nowhere/x")).singleElement().satisfies(e -> assertThat(e.listing()).isNull());
    }

    @Test
    void noMatchIsAnErrorNamingThePattern() throws Exception {
        file("pub/a.txt", 1);
        for (String pattern : List.of("pub/*.gz", "missing/*", "pub/*/x", "*/b.txt")) {
            assertThatThrownBy(() -> tree().expand(pattern)).as(pattern).isInstanceOf(MpftException.class)
                    .hasMessage("no match for '" + pattern + "'")
                    .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        }
    }

    @Test
    void aWalkGivesEveryFileBelowWithRelativePathsDepthFirstInNameOrder() throws Exception {
        file("d/b.txt", 1);
        file("d/a/z.txt", 2);
        file("d/a/deep/y.txt", 3);
        file("d/c/x.txt", 4);
        add("d/empty", ListingEntry.Type.DIRECTORY, 4096);
        file("other.txt", 5);
        List<RemoteTree.WalkedFile> files = tree().walk("d");
        assertThat(files).extracting(RemoteTree.WalkedFile::relative)
                .containsExactly("b.txt", "a/z.txt", "a/deep/y.txt", "c/x.txt");
        assertThat(files).extracting(f -> f.entry().path())
                .containsExactly("d/b.txt", "d/a/z.txt", "d/a/deep/y.txt", "d/c/x.txt");
        assertThat(tree().walk("")).hasSize(5);
    }

    @Test
    void aWalkAsksForTheFoldersOfOneLevelTogetherAndStillGivesThemDepthFirst() throws Exception {
        file("d/b.txt", 1);
        file("d/a/z.txt", 2);
        file("d/a/deep/y.txt", 3);
        file("d/c/x.txt", 4);
        file("d/c/e/w.txt", 5);
        List<List<String>> levels = new ArrayList<>();
        RemoteTree.FolderSource together = new RemoteTree.FolderSource() {
            @Override
            public List<ListingEntry> list(String folder, int max) throws MpftException, InterruptedException {
                return source.list(folder, max);
            }

            @Override
            public List<List<ListingEntry>> listAll(List<String> folders, int max)
                    throws MpftException, InterruptedException {
                levels.add(folders);
                return RemoteTree.FolderSource.super.listAll(folders, max);
            }
        };
        List<RemoteTree.WalkedFile> files = new RemoteTree(together, 1_000, 8).walk("d");
        assertThat(levels).containsExactly(List.of("d"), List.of("d/a", "d/c"), List.of("d/a/deep", "d/c/e"));
        assertThat(files).extracting(RemoteTree.WalkedFile::relative)
                .containsExactly("b.txt", "a/z.txt", "a/deep/y.txt", "c/x.txt", "c/e/w.txt");
    }

    @Test
    void aWalkDeeperThanTheBoundIsALimitError() throws Exception {
        file("d/1/2/3/f", 1);
        assertThat(new RemoteTree(source, 100, 3).walk("d")).hasSize(1);
        assertThatThrownBy(() -> new RemoteTree(source, 100, 2).walk("d")).isInstanceOf(MpftException.class)
                .hasMessageContaining("'d/1/2/3' is more than 2 folder levels below 'd'")
                .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    }

    @Test
    void moreEntriesThanTheBoundIsALimitError() throws Exception {
        for (int i = 0; i < 6; i++) {
            file("a/f" + i, 1);
            file("b/f" + i, 1);
        }
        RemoteTree tree = new RemoteTree(source, 14, 8);
        assertThat(tree.walk("")).hasSize(12);
        assertThat(tree.listed()).isEqualTo(14);
        assertThatThrownBy(() -> new RemoteTree(source, 13, 8).walk("")).isInstanceOf(MpftException.class)
                .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThatThrownBy(() -> new RemoteTree(source, 5, 8).expand("a/*")).isInstanceOf(MpftException.class)
                .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    }

    @Test
    void aRefusedFolderInAWalkIsTheServersError() {
        assertThatThrownBy(() -> tree().walk("missing")).isInstanceOf(MpftException.class)
                .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
    }
}
