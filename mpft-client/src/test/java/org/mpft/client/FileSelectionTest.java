package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;

/**
 * {@link FileSelection} over a FAKE listing source (a map of folders): where each file goes and what is refused
 * is the client's own decision; the real server's side is exercised by {@code CliTreeIT}.
 */
class FileSelectionTest {

    @TempDir
    Path dir;

    private final Map<String, TreeMap<String, ListingEntry>> folders = new TreeMap<>();

    private final RemoteTree.FolderSource source = (folder, max) -> {
        TreeMap<String, ListingEntry> entries = folders.get(folder);
        if (entries == null) {
            throw new MpftException(ErrorCode.FILE_NOT_FOUND, "no such folder: " + folder);
        }
        return List.copyOf(entries.values());
    };

    private void add(String path, ListingEntry.Type type) {
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        folders.computeIfAbsent(parent, p -> new TreeMap<>()).put(name, new ListingEntry(name, type, 7, 1234, 0640));
        if (!parent.isEmpty()) {
            add(parent, ListingEntry.Type.DIRECTORY);
        }
        if (type == ListingEntry.Type.DIRECTORY) {
            folders.computeIfAbsent(path, p -> new TreeMap<>());
        }
    }

    private FileSelection.Plan plan(Path dest, boolean recursive, String... sources) throws Exception {
        return FileSelection.plan(new RemoteTree(source, 1000, 8), List.of(sources), dest, recursive);
    }

    @Test
    void aFolderIntoAnExistingFolderLandsUnderItsNameWithTheListedAttributes() throws Exception {
        add("pub/tree/a.txt", ListingEntry.Type.FILE);
        add("pub/tree/in/b.txt", ListingEntry.Type.FILE);
        FileSelection.Plan plan = plan(dir, true, "pub/tree");
        assertThat(plan.refused()).isEmpty();
        assertThat(plan.toFile()).isFalse();
        assertThat(plan.files()).containsExactly(
                new BatchFile("pub/tree/a.txt", dir.resolve("tree/a.txt"), 7, 1234, 0640),
                new BatchFile("pub/tree/in/b.txt", dir.resolve("tree/in/b.txt"), 7, 1234, 0640));
    }

    @Test
    void aFolderIntoAFolderToCreateLandsUnderItsNameTooSoThatARunAgainFindsItsFiles() throws Exception {
        add("pub/tree/a.txt", ListingEntry.Type.FILE);
        Path fresh = dir.resolve("fresh");
        assertThat(plan(fresh, true, "pub/tree").files()).extracting(BatchFile::output)
                .containsExactly(fresh.resolve("tree/a.txt"));
        assertThat(plan(fresh, true, "/").files()).as("the root fills the destination").extracting(BatchFile::output)
                .containsExactly(fresh.resolve("pub/tree/a.txt"));
    }

    @Test
    void oneFileToANameThatIsNoFolderIsThatFile() throws Exception {
        add("pub/a.txt", ListingEntry.Type.FILE);
        FileSelection.Plan plan = plan(dir.resolve("copy.txt"), false, "pub/*.txt");
        assertThat(plan.toFile()).isTrue();
        assertThat(plan.files()).extracting(BatchFile::output).containsExactly(dir.resolve("copy.txt"));
    }

    @Test
    void severalFilesNeedAFolderUnlessRecursiveCreatesIt() throws Exception {
        add("pub/a.txt", ListingEntry.Type.FILE);
        add("pub/b.txt", ListingEntry.Type.FILE);
        assertThatThrownBy(() -> plan(dir.resolve("missing"), false, "pub/*.txt")).isInstanceOf(MpftException.class)
                .hasMessageContaining("is not a folder");
        assertThat(plan(dir.resolve("missing"), true, "pub/*.txt").files()).extracting(BatchFile::output)
                .containsExactly(dir.resolve("missing/a.txt"), dir.resolve("missing/b.txt"));
    }

    @Test
    void eachBadSourceIsRefusedOnItsOwnAndTheOthersGo() throws Exception {
        add("pub/a.txt", ListingEntry.Type.FILE);
        add("pub/dir/x", ListingEntry.Type.FILE);
        add("pub/NUL", ListingEntry.Type.FILE);
        FileSelection.Plan plan = plan(dir, false, "pub/a.txt", "pub/*.gz", "pub/dir", "pub/NUL", "pub/hidden.txt");
        assertThat(plan.files()).extracting(BatchFile::remotePath).containsExactly("pub/a.txt", "pub/hidden.txt");
        assertThat(plan.files().get(1).size()).as("not listed: the server's OPEN decides").isEqualTo(-1);
        assertThat(plan.refused()).extracting(FileSelection.Refusal::source).containsExactly("pub/*.gz", "pub/dir", "pub/NUL");
        assertThat(plan.refused()).extracting(r -> r.error().getMessage()).satisfiesExactly(
                m -> assertThat(m).isEqualTo("no match for 'pub/*.gz'"),
                m -> assertThat(m).contains("not a regular file"),
                m -> assertThat(m).contains("Windows device name"));
    }

    @Test
    void twoFilesForOneOutputKeepTheFirst() throws Exception {
        add("a/same.txt", ListingEntry.Type.FILE);
        add("b/same.txt", ListingEntry.Type.FILE);
        Files.createDirectories(dir);
        FileSelection.Plan plan = plan(dir, false, "a/same.txt", "b/same.txt");
        assertThat(plan.files()).extracting(BatchFile::remotePath).containsExactly("a/same.txt");
        assertThat(plan.refused()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("b/same.txt");
            assertThat(r.error().getMessage()).contains("the output of 'a/same.txt'");
        });
    }
}
