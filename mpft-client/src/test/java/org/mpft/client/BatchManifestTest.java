package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchManifestTest {

    private static final String SHA = "ab".repeat(32);

    @TempDir
    Path root;

    @Test
    void recordedFilesAreReadBackByAnotherRunNamesEscaped() throws Exception {
        BatchManifest manifest = BatchManifest.open(root);
        assertThat(manifest.isEmpty()).isTrue();
        Path odd = root.resolve("a\tb/c%d\ne.bin");
        manifest.record(root.resolve("x/y.bin"), 10, 1_700_000_000_000L, SHA);
        manifest.record(odd, 0, -5, SHA.replace('a', 'c'));
        manifest.close(false);

        assertThat(Files.readString(root.resolve(".mpft-batch"))).contains("a%09b/c%25d%0ae.bin\t0\t-5\t");
        BatchManifest again = BatchManifest.open(root);
        assertThat(again.lookup(root.resolve("x/y.bin"))).contains(new BatchManifest.Entry(10, 1_700_000_000_000L,
                SHA));
        assertThat(again.lookup(odd)).contains(new BatchManifest.Entry(0, -5, SHA.replace('a', 'c')));
        assertThat(again.lookup(root.resolve("x/z.bin"))).isEmpty();
    }

    @Test
    void badLinesAreAbsentAndTheRestIsRead() throws Exception {
        String longName = "n".repeat(BatchManifest.MAX_LINE + 10);
        Files.writeString(root.resolve(".mpft-batch"), String.join("\n", List.of(
                "good.bin\t1\t2\t" + SHA,
                "few-fields\t1\t2",
                "bad-size.bin\tx\t2\t" + SHA,
                "negative.bin\t-1\t2\t" + SHA,
                "bad-sha.bin\t1\t2\t" + SHA.toUpperCase(),
                "bad%zzescape.bin\t1\t2\t" + SHA,
                "cut%4\t1\t2\t" + SHA,
                longName + "\t1\t2\t" + SHA,
                "after-long.bin\t3\t4\t" + SHA,
                "torn.bin\t1\t2\t" + SHA.substring(0, 10))) + "\n", StandardCharsets.UTF_8);

        BatchManifest manifest = BatchManifest.open(root);

        assertThat(manifest.lookup(root.resolve("good.bin"))).isPresent();
        assertThat(manifest.lookup(root.resolve("after-long.bin"))).contains(new BatchManifest.Entry(3, 4, SHA));
        for (String absent : List.of("few-fields", "bad-size.bin", "negative.bin", "bad-sha.bin", "torn.bin", longName)) {
            assertThat(manifest.lookup(root.resolve(absent))).as(absent).isEmpty();
        }
    }

    @Test
    void aLastLineWithoutItsNewlineIsAbsent() throws Exception {
        Files.writeString(root.resolve(".mpft-batch"), "a.bin\t1\t2\t" + SHA + "\nb.bin\t1\t2\t" + SHA);

        BatchManifest manifest = BatchManifest.open(root);

        assertThat(manifest.lookup(root.resolve("a.bin"))).isPresent();
        assertThat(manifest.lookup(root.resolve("b.bin"))).isEmpty();
    }

    @Test
    void closingASucceededBatchDeletesTheManifest() throws Exception {
        BatchManifest manifest = BatchManifest.open(root);
        manifest.record(root.resolve("a.bin"), 1, 2, SHA);
        manifest.close(true);

        assertThat(root.resolve(".mpft-batch")).doesNotExist();
    }

    @Test
    void theRootIsTheFolderHoldingEveryOutput() {
        assertThat(BatchManifest.rootOf(List.of(root.resolve("a/b/c.bin"), root.resolve("a/d.bin"),
                root.resolve("a/b/e/f.bin")))).isEqualTo(root.resolve("a"));
        assertThat(BatchManifest.rootOf(List.of(root.resolve("x/one.bin")))).isEqualTo(root.resolve("x"));
    }
}
