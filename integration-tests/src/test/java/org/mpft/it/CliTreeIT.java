package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.BatchFile;
import org.mpft.client.BatchListener;
import org.mpft.client.BatchRequest;
import org.mpft.client.BatchResult;
import org.mpft.client.Credentials;
import org.mpft.client.FileSelection;
import org.mpft.client.ListingRequest;
import org.mpft.host.OpenSsh;

/**
 * Many files in one run, end to end: the real demo host with the real plugin jar and the real {@code mpft get}
 * as a process, in the direct form. alice reads {@code /pub} only; {@code pub/tree} is a nested tree of 2,000
 * small files (10 folders of 5 folders of 40 files, each name unique) with their own times and modes.
 * {@code host} holds chunks only while a test closes its gate; {@code heldHost} sends its first
 * {@value #SENT_BEFORE_HOLD} chunks and holds every later one while its gate is closed, so a run can be killed
 * at a known point.
 */
@Timeout(600)
class CliTreeIT {

    private static final String PASSWORD = "alice-pw";
    private static final int FOLDERS = 10;
    private static final int SUBFOLDERS = 5;
    private static final int FILES = 40;
    private static final int TREE_FILES = FOLDERS * SUBFOLDERS * FILES;
    private static final int SENT_BEFORE_HOLD = 300;

    private static Path key;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(work -> {
                key = OpenSsh.ed25519Key(Files.createDirectories(work.resolve("keys")), "id_ed25519");
                return HostProcess.User.withKey("alice", Path.of(key + ".pub")).password(PASSWORD).read("/pub");
            })
            .holdChunks()
            .quiet()
            .build();

    @RegisterExtension
    static final MpftHost heldHost = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD).read("/pub"))
            .holdChunks()
            .javaOption("-Dmpft.test.hold-after-chunks=" + SENT_BEFORE_HOLD)
            .pluginProperty("mpft.max-sessions-per-user", "32")
            .quiet()
            .build();

    @TempDir
    Path dir;

    @BeforeAll
    static void files() throws Exception {
        for (MpftHost h : List.of(host, heldHost)) {
            Path home = h.home("alice");
            tree(home.resolve("pub/tree"));
            Files.write(Files.createDirectories(home.resolve("secret")).resolve("hidden.txt"), new byte[] {1, 2, 3});
            Path ff = Files.createDirectories(home.resolve("pub/ff"));
            Files.write(ff.resolve("big.bin"), bytes(300_000, 1));
            Files.write(ff.resolve("mid.bin"), bytes(200_000, 2));
            for (int i = 0; i < 10; i++) {
                Files.write(ff.resolve("small" + i + ".bin"), bytes(1000, 10 + i));
            }
        }
    }

    /** The tree: unique names, sizes 1 byte to 3 kB, one time per file, three modes. */
    private static void tree(Path root) throws IOException {
        Random random = new Random(17);
        int n = 0;
        for (int d = 0; d < FOLDERS; d++) {
            for (int s = 0; s < SUBFOLDERS; s++) {
                Path folder = Files.createDirectories(root.resolve("d" + d).resolve("s" + s));
                for (int f = 0; f < FILES; f++) {
                    Path file = folder.resolve(String.format("d%d-s%d-f%03d.bin", d, s, f));
                    byte[] content = new byte[1 + random.nextInt(3000)];
                    random.nextBytes(content);
                    Files.write(file, content);
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                            List.of("rw-r--r--", "rw-r-----", "rwxr-x---").get(n % 3)));
                    Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L + n * 61_000L));
                    n++;
                }
            }
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aTreeOfTwoThousandFilesArrivesByteForByteWithTimesAndModes() throws Exception {
        Path out = dir.resolve("out");
        MpftCli.Run run = get(host, "-r", "-p", "--json", src(host, "pub/tree"), out + "/");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertSameTree(host.home("alice").resolve("pub/tree"), out.resolve("tree"), true);
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).hasSize(TREE_FILES + 1);
        assertThat(lines.subList(0, TREE_FILES)).allSatisfy(line -> assertThat(line)
                .startsWith("{\"path\":\"pub/tree/d").contains("\"status\":\"done\"").containsPattern("\"sha256\":\"[0-9a-f]{64}\""));
        assertThat(lines.get(TREE_FILES)).startsWith("{\"total\":{\"files\":" + TREE_FILES + ",\"done\":" + TREE_FILES
                + ",\"skipped\":0,\"failed\":0,\"bytes\":" + treeBytes(out) + ",\"elapsedMs\":").endsWith(",\"exitCode\":0}}");
    }

    @Test
    void patternsAndSeveralSourcesLandInTheFolder() throws Exception {
        Path out = Files.createDirectories(dir.resolve("some"));
        MpftCli.Run run = get(host, src(host, "pub/tree/d0/s1/*-f00?.bin"), src(host, "/pub/tree/d[1-2]/s4/*-f039.bin"),
                src(host, "pub/ff/small1.bin"), out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < 10; f++) {
            expected.add(String.format("d0-s1-f%03d.bin", f));
        }
        expected.addAll(List.of("d1-s4-f039.bin", "d2-s4-f039.bin", "small1.bin"));
        assertThat(names(out)).containsExactlyInAnyOrderElementsOf(expected);
        Path tree = host.home("alice").resolve("pub/tree");
        assertThat(out.resolve("d2-s4-f039.bin")).hasSameBinaryContentAs(tree.resolve("d2/s4/d2-s4-f039.bin"));
        assertThat(run.stdout()).contains("13 files: 13 fetched, 0 skipped, 0 failed");
    }

    @Test
    void aPatternThatMatchesNothingOrAFolderWithoutRIsNamed() throws Exception {
        Path out = Files.createDirectories(dir.resolve("none"));
        MpftCli.Run run = get(host, src(host, "pub/tree/*.gz"), src(host, "pub/tree/d0"), src(host, "pub/ff/small2.bin"),
                out.toString());
        assertThat(run.exitCode()).as("the worst: no match (4) over a folder without -r (2)\n" + run).isEqualTo(4);
        assertThat(run.stderr()).contains("no match for 'pub/tree/*.gz'").contains("'pub/tree/d0': not a regular file");
        assertThat(names(out)).containsExactly("small2.bin");
    }

    @Test
    void anUnreadableAndAMissingFileAreReportedAndTheRestArrive() throws Exception {
        Path out = Files.createDirectories(dir.resolve("mixed"));
        MpftCli.Run run = get(host, "--json", src(host, "pub/tree/d3/s3/*"), src(host, "secret/hidden.txt"),
                src(host, "pub/missing.txt"), out.toString());
        assertThat(run.exitCode()).as("the worst: access denied (5) over no such file (4)\n" + run).isEqualTo(5);
        assertThat(names(out)).hasSize(FILES).allMatch(n -> n.startsWith("d3-s3-"));
        assertThat(out.resolve(".mpft-batch")).as("kept for a run again, as a file failed").exists();
        assertThat(run.stdout()).containsPattern("\\{\"path\":\"secret/hidden.txt\",\"file\":\"[^\"]*hidden.txt\","
                + "\"status\":\"failed\",\"bytes\":0,\"sha256\":null,\"error\":\\{\"exitCode\":5,\"name\":\"access-denied\"");
        assertThat(run.stdout()).containsPattern("\\{\"path\":\"pub/missing.txt\",[^\\n]*\"error\":\\{\"exitCode\":4,"
                + "\"name\":\"not-found\"");
        assertThat(run.lastLine()).startsWith("{\"total\":{\"files\":42,\"done\":40,\"skipped\":0,\"failed\":2,");
        assertThat(run.stderr()).contains("mpft: secret/hidden.txt: ").contains("mpft: pub/missing.txt: ");
    }

    @Test
    void failFastStopsAtTheFirstFailedFile() throws Exception {
        Path out = Files.createDirectories(dir.resolve("ff"));
        Path mid = host.home("alice").resolve("pub/ff/mid.bin");
        byte[] midBytes = Files.readAllBytes(mid);
        host.closeGate();
        MpftCli.Run run;
        try {
            // one session, one file at a time, takes the biggest file first: while its chunks are held, the next
            // file goes away
            run = new MpftCli(dir, PASSWORD).run(List.of(), process -> {
                Poll.until("big.bin is being sent", Poll.PATIENCE,
                        () -> host.output().contains(": alice downloads pub/ff/big.bin ("), host::output);
                Files.delete(mid);
                host.openGate();
            }, args(host, "--fail-fast", "--sessions", "1", "--files-per-session", "1", "--json", src(host, "pub/ff/*"),
                    out.toString()));
        } finally {
            host.openGate();
            Files.write(mid, midBytes);
        }
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(names(out)).containsExactly("big.bin");
        assertThat(run.stdout()).contains("\"path\":\"pub/ff/mid.bin\"").containsPattern("\"status\":\"failed\"[^\\n]*not-found");
        assertThat(run.stdout().lines().filter(l -> l.contains("\"status\":\"cancelled\""))).hasSize(10);
    }

    @Test
    void aSecondRunAfterAKillFetchesOnlyWhatWasMissing() throws Exception {
        Path out = dir.resolve("resumed");
        Path tree = out.resolve("tree");
        heldHost.closeGate();
        MpftCli.Run killed;
        try {
            killed = new MpftCli(dir, PASSWORD).run(List.of(), process -> {
                // the host sends its first chunks (one per small file) and holds the rest: wait for those files
                Poll.until(SENT_BEFORE_HOLD + " files arrived", Poll.PATIENCE,
                        () -> finished(tree) == SENT_BEFORE_HOLD, () -> "finished: " + finished(tree));
                process.destroyForcibly().waitFor();
            }, args(heldHost, "-r", src(heldHost, "pub/tree"), out.toString()));
        } finally {
            heldHost.openGate();
        }
        assertThat(killed.exitCode()).as(killed.toString()).isNotZero();
        assertThat(finished(tree)).isEqualTo(SENT_BEFORE_HOLD);

        MpftCli.Run again = get(heldHost, "-r", "--json", src(heldHost, "pub/tree"), out.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        List<String> lines = again.stdout().lines().toList();
        assertThat(lines.stream().filter(l -> l.contains("\"status\":\"skipped\""))).hasSize(SENT_BEFORE_HOLD);
        assertThat(lines.stream().filter(l -> l.contains("\"status\":\"done\""))).hasSize(TREE_FILES - SENT_BEFORE_HOLD);
        assertThat(again.lastLine()).startsWith("{\"total\":{\"files\":" + TREE_FILES + ",\"done\":"
                + (TREE_FILES - SENT_BEFORE_HOLD) + ",\"skipped\":" + SENT_BEFORE_HOLD + ",\"failed\":0,");
        assertSameTree(heldHost.home("alice").resolve("pub/tree"), tree, false);
    }

    @Test
    void theSshFormFetchesAFolderWithSessionOffers() throws Exception {
        Path config = dir.resolve("ssh_config");
        Files.writeString(config, String.join("\n", "Host files", "    HostName 127.0.0.1",
                "    Port " + host.process().sftpPort(), "    User alice", "    IdentityFile " + key,
                "    IdentitiesOnly yes", "    IdentityAgent none", "    BatchMode yes",
                "    UserKnownHostsFile " + dir.resolve("ssh_known_hosts"), "    StrictHostKeyChecking accept-new",
                "    LogLevel ERROR", ""));
        Path out = dir.resolve("viassh");
        MpftCli.Run run = new MpftCli(dir, null).run("get", "-F", config.toString(), "-r", "--json", "files:pub/tree/d4/",
                out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        Map<String, Path> expected = files(host.home("alice").resolve("pub/tree/d4"));
        Map<String, Path> actual = files(out.resolve("d4"));
        assertThat(actual.keySet()).hasSize(SUBFOLDERS * FILES).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            assertThat(Files.mismatch(e.getValue(), actual.get(e.getKey()))).as(e.getKey()).isEqualTo(-1L);
        }
        assertThat(run.lastLine()).startsWith("{\"total\":{\"files\":" + SUBFOLDERS * FILES + ",\"done\":"
                + SUBFOLDERS * FILES + ",");
        assertThat(dir.resolve("home/.mpft/known_hosts")).as("the pin came over SSH").doesNotExist();
    }

    @Test
    void theLibraryPlansAndFetchesWhatTheCliDoes() throws Exception {
        Path out = Files.createDirectories(dir.resolve("library"));
        ListingRequest listing = new ListingRequest("alice", "127.0.0.1", host.port(),
                new Credentials.Password(PASSWORD.toCharArray()), CertificatePins.trusting(host.fingerprint()), null);
        FileSelection.Plan plan = host.client().select(listing, List.of("pub/tree/d5/s*/*-f00[0-4].bin", "pub/nothing*"),
                out, false);
        assertThat(plan.files()).hasSize(SUBFOLDERS * 5);
        assertThat(plan.refused()).singleElement().satisfies(r -> assertThat(r.error().getMessage())
                .isEqualTo("no match for 'pub/nothing*'"));
        BatchResult result = host.client().downloadBatch(BatchRequest.builder(host.request("pub", out, false),
                plan.files()).build(), BatchListener.NONE);
        assertThat(result.succeeded()).as(result.failures().toString()).isTrue();
        Path tree = host.home("alice").resolve("pub/tree/d5");
        for (BatchFile file : plan.files()) {
            String name = file.output().getFileName().toString();
            assertThat(file.output().getParent()).isEqualTo(out.toAbsolutePath());
            assertThat(Files.mismatch(file.output(), tree.resolve(name.substring(3, 5)).resolve(name))).isEqualTo(-1L);
        }
    }

    @Test
    void lsRecursiveListsTheTreeDepthFirstAsOneFolderAtATimeWould() throws Exception {
        List<List<String>> folders = new ArrayList<>();
        depthFirst(host.home("alice").resolve("pub/tree"), "", folders);
        List<String> expected = folders.stream().flatMap(List::stream).toList();
        assertThat(expected).hasSize(TREE_FILES + FOLDERS + FOLDERS * SUBFOLDERS);
        MpftCli.Run run = ls(host, "-r", src(host, "pub/tree"));
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout().lines()).containsExactlyElementsOf(expected);

        // the bound: whole folders until the next one would pass it, then exit 7, as one folder at a time gives
        int bound = 1_000;
        List<String> printed = new ArrayList<>();
        for (List<String> folder : folders) {
            if (printed.size() >= bound || folder.size() > bound - printed.size()) {
                break;
            }
            printed.addAll(folder);
        }
        assertThat(printed.size()).as("the bound falls inside the tree").isBetween(bound - FILES, bound - 1);
        MpftCli.Run bounded = ls(host, "-r", "--max-entries", String.valueOf(bound), src(host, "pub/tree"));
        assertThat(bounded.exitCode()).as(bounded.toString()).isEqualTo(7);
        assertThat(bounded.stdout().lines()).containsExactlyElementsOf(printed);
    }

    // ---- helpers

    /** Each folder's lines as {@code mpft ls -r} prints them (paths below the root, in name order), depth first. */
    private static void depthFirst(Path root, String prefix, List<List<String>> folders) throws IOException {
        Path folder = prefix.isEmpty() ? root : root.resolve(prefix);
        List<String> names;
        try (Stream<Path> list = Files.list(folder)) {
            names = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        folders.add(names.stream().map(name -> prefix.isEmpty() ? name : prefix + "/" + name).toList());
        for (String name : names) {
            if (Files.isDirectory(folder.resolve(name))) {
                depthFirst(root, prefix.isEmpty() ? name : prefix + "/" + name, folders);
            }
        }
    }

    private MpftCli.Run ls(MpftHost h, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("ls", "--password-env", "MPFT_PASSWORD", "--accept-new",
                "--known-hosts", dir.resolve("known_hosts-" + h.port()).toString()));
        all.addAll(List.of(args));
        return new MpftCli(dir, PASSWORD).run(all.toArray(String[]::new));
    }

    private static String src(MpftHost h, String path) {
        return "alice@127.0.0.1:" + h.port() + ":" + path;
    }

    private String[] args(MpftHost h, String... args) {
        List<String> all = new ArrayList<>(List.of("get", "--password-env", "MPFT_PASSWORD", "--accept-new",
                "--known-hosts", dir.resolve("known_hosts-" + h.port()).toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private MpftCli.Run get(MpftHost h, String... args) throws Exception {
        return new MpftCli(dir, PASSWORD).run(args(h, args));
    }

    /** Every regular file below {@code root}, by relative path. */
    private static Map<String, Path> files(Path root) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.put(root.relativize(p).toString(), p));
        }
        return files;
    }

    /** Finished outputs below {@code root}: regular files that are not a download's state or part. */
    private static long finished(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".bin") && Files.isRegularFile(p)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1; // a file renamed during the walk: look again
        }
    }

    /** The names in a folder, without the batch's record of finished files ({@code .mpft-batch}). */
    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".mpft-batch")).sorted().toList();
        }
    }

    private static long treeBytes(Path root) throws IOException {
        long bytes = 0;
        for (Path p : files(root).values()) {
            bytes += Files.size(p);
        }
        return bytes;
    }

    /** The same relative paths, bytes and times (and modes when asked); nothing else below {@code copy}. */
    private static void assertSameTree(Path original, Path copy, boolean modes) throws IOException {
        Map<String, Path> expected = files(original);
        Map<String, Path> actual = files(copy);
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(expected).hasSize(TREE_FILES);
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            Path got = actual.get(e.getKey());
            assertThat(Files.mismatch(e.getValue(), got)).as(e.getKey()).isEqualTo(-1L);
            assertThat(Files.getLastModifiedTime(got).toMillis()).as(e.getKey())
                    .isEqualTo(Files.getLastModifiedTime(e.getValue()).toMillis());
            if (modes) {
                assertThat(Files.getPosixFilePermissions(got)).as(e.getKey())
                        .isEqualTo(Files.getPosixFilePermissions(e.getValue()));
            }
        }
    }
}
