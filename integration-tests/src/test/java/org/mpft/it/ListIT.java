package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.Credentials;
import org.mpft.client.ListingRequest;
import org.mpft.client.RemoteListing;
import org.mpft.host.OpenSsh;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.ListRequest;
import org.mpft.protocol.Listing;
import org.mpft.protocol.ListingEntry;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.QuicTransport;

/**
 * Listing end to end: the real host with the real plugin jar, the real {@code mpft ls} as a process and the
 * client library's {@link RemoteListing}. alice reads {@code /pub} only; her home also holds a folder and a
 * file outside her rules, which neither listing shows nor opens, as the host's SFTP refuses them.
 */
@Timeout(300)
class ListIT {

    private static final String PASSWORD = "alice-pw";
    private static final long MTIME = 1_700_000_000_000L; // 2023-11-14 22:13 UTC
    private static final int BIG = 2_500;
    /** mpft.max-lists-per-session of the host: above what any one test's session asks for. */
    private static final int MAX_LISTS = 30;

    private static Path key;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(work -> {
                key = OpenSsh.ed25519Key(Files.createDirectories(work.resolve("keys")), "id_ed25519");
                return HostProcess.User.withKey("alice", Path.of(key + ".pub")).password(PASSWORD).read("/pub");
            })
            .pluginProperty("mpft.max-lists-per-session", Integer.toString(MAX_LISTS))
            .build();

    @TempDir
    Path dir;

    @BeforeAll
    static void files() throws Exception {
        Path home = host.home("alice");
        Path pub = Files.createDirectories(home.resolve("pub"));
        write(pub.resolve("b.txt"), "bee\n");
        write(pub.resolve("a.txt"), "a\n");
        write(Files.createDirectories(pub.resolve("tree/inner")).resolve("deep.txt"), "deep\n");
        write(pub.resolve("tree/top.txt"), "top\n");
        Files.setPosixFilePermissions(pub.resolve("tree/top.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(Files.createDirectories(pub.resolve("tree/empty")),
                PosixFilePermissions.fromString("rwxr-x---"));
        write(pub.resolve("evil\u001b[2J.txt"), "a name with a terminal escape\n");
        Files.createSymbolicLink(pub.resolve("passwd"), Path.of("/etc/passwd"));
        Path big = Files.createDirectories(pub.resolve("big"));
        for (int i = 0; i < BIG; i++) {
            Files.writeString(big.resolve(String.format("f%05d", i)), "x");
        }
        write(Files.createDirectories(home.resolve("secret")).resolve("hidden.txt"), "not for alice\n");
        write(home.resolve("private.txt"), "not for alice\n");
    }

    private static void write(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(MTIME));
    }

    @Test
    void lsPrintsTheNamesOfAFolderInOrderLeavingOutWhatCannotBeOpened() throws Exception {
        MpftCli.Run run = ls("pub");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout().lines()).containsExactly("a.txt", "b.txt", "big", "tree");
        assertThat(run.stdout()).doesNotContain("\u001b");
    }

    @Test
    void lsOfTheHomeShowsOnlyTheWayToTheReadRules() throws Exception {
        for (String root : List.of("/", ".", "")) {
            MpftCli.Run run = ls(root);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout().lines()).as(root).containsExactly("pub");
        }
    }

    @Test
    void lsLongGivesModeSizeTimeAndName() throws Exception {
        MpftCli.Run run = ls("-l", "pub/tree");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("drwxr-x--- +\\d+ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d empty");
        assertThat(lines.get(1)).matches("d[-rwxsStT]{9} +\\d+ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d inner");
        assertThat(lines.get(2)).matches("-rw-r----- +4 2023-11-14 22:13 top.txt");
    }

    @Test
    void lsRecursiveListsTheNestedTreeAsRelativePaths() throws Exception {
        MpftCli.Run run = ls("-r", "pub/tree");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout().lines()).containsExactly("empty", "inner", "top.txt", "inner/deep.txt");
    }

    @Test
    void lsRecursiveStopsAtItsBound() throws Exception {
        MpftCli.Run run = ls("-r", "--max-entries", "3", "pub/tree");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.stderr()).contains("--max-entries");
    }

    @Test
    void aFolderOutsideTheReadRulesIsRefusedAsSftpRefusesIt() throws Exception {
        MpftCli.Run run = ls("secret");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.stderr()).startsWith("mpft: ").contains("access denied: secret");
        assertThat(run.stdout()).isEmpty();

        Path sftpDir = Files.createDirectories(dir.resolve("sftp"));
        OpenSsh.Result sftp = OpenSsh.sftp(key, "alice", host.process().sftpPort(), sftpDir, "ls secret");
        assertThat(sftp.exitCode()).as(sftp.output()).isNotZero();
        assertThat(sftp.output()).doesNotContain("hidden.txt");
        OpenSsh.Result allowed = OpenSsh.sftp(key, "alice", host.process().sftpPort(), sftpDir, "ls pub/tree");
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
        assertThat(allowed.output()).contains("top.txt");
    }

    @Test
    void aMissingFolderExits4AndAFileIsNoFolder() throws Exception {
        for (String path : List.of("pub/missing", "pub/a.txt")) {
            MpftCli.Run run = ls(path);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
            assertThat(run.stderr()).contains("no such folder: " + path);
        }
    }

    @Test
    void aFolderOfMoreThanOnePageIsListedWhole() throws Exception {
        MpftCli.Run run = ls("pub/big");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < BIG; i++) {
            expected.add(String.format("f%05d", i));
        }
        assertThat(run.stdout().lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void theLibraryListsPagesAndWholeFoldersWithTheSameAnswers() throws Exception {
        try (RemoteListing listing = host.client().openListing(request())) {
            Listing first = listing.page("pub/big", "", 1000);
            assertThat(first.entries()).hasSize(1000);
            assertThat(first.more()).isTrue();
            Listing last = listing.page("pub/big", "f01999", 1000);
            assertThat(last.entries()).hasSize(500);
            assertThat(last.more()).isFalse();
            assertThat(listing.all("pub/big", BIG)).hasSize(BIG);
            assertThatThrownBy(() -> listing.all("pub/big", BIG - 1)).isInstanceOf(MpftException.class)
                    .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);

            List<ListingEntry> tree = listing.all("/pub/tree/", 100);
            assertThat(tree).extracting(ListingEntry::name).containsExactly("empty", "inner", "top.txt");
            assertThat(tree.get(2)).isEqualTo(new ListingEntry("top.txt", ListingEntry.Type.FILE, 4, MTIME, 0640));
            assertThat(listing.all("", 10)).extracting(ListingEntry::name).containsExactly("pub");

            assertThatThrownBy(() -> listing.page("secret", "", 10)).isInstanceOf(MpftException.class)
                    .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThatThrownBy(() -> listing.page("pub/missing", "", 10)).isInstanceOf(MpftException.class)
                    .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
            assertThatThrownBy(() -> listing.page("../x", "", 10)).isInstanceOf(MpftException.class)
                    .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.INVALID_PATH);
            // the session goes on after refusals
            assertThat(listing.page("pub", "", 10).entries()).extracting(ListingEntry::name)
                    .containsExactly("a.txt", "b.txt", "big", "tree");
        }
        assertThat(host.client().list(request(), "pub", "a.txt", 1).entries()).extracting(ListingEntry::name)
                .containsExactly("b.txt");
    }

    @Test
    void theLibraryListsSeveralFoldersAtOnceAndTheSessionGoesOnAfterARefusal() throws Exception {
        try (RemoteListing listing = host.client().openListing(request())) {
            List<List<ListingEntry>> all = listing.allOf(List.of("pub", "pub/tree", "pub/big", "/pub/tree/inner/"),
                    10_000);
            assertThat(all.get(0)).extracting(ListingEntry::name).containsExactly("a.txt", "b.txt", "big", "tree");
            assertThat(all.get(1)).extracting(ListingEntry::name).containsExactly("empty", "inner", "top.txt");
            assertThat(all.get(2)).hasSize(BIG).isEqualTo(listing.all("pub/big", BIG)); // pages asked in turn
            assertThat(all.get(3)).extracting(ListingEntry::name).containsExactly("deep.txt");

            assertThatThrownBy(() -> listing.allOf(List.of("pub", "secret", "pub/missing", "pub/tree"), 100))
                    .isInstanceOf(MpftException.class)
                    .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThatThrownBy(() -> listing.allOf(List.of("pub/tree", "pub/big", "pub"), 100))
                    .isInstanceOf(MpftException.class)
                    .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            // every answer still in flight was read: the next answer is this request's
            assertThat(listing.page("pub/tree", "", 10).entries()).extracting(ListingEntry::name)
                    .containsExactly("empty", "inner", "top.txt");
        }
    }

    @Test
    void aServerAnswersPipelinedListsInTheOrderTheyCame() throws Exception {
        QuicTransport transport = QuicTransport.create("list-it", 1);
        try (RawConnection raw = new RawConnection(transport, host.port())) {
            ServerHello hello = raw.login("alice", PASSWORD, Features.LIST_PIPELINE);
            assertThat(Features.has(hello.features(), Features.LIST_PIPELINE)).isTrue();
            raw.send(new ListRequest("pub", "", 10));
            raw.send(new ListRequest("pub/tree", "", 10));
            raw.send(new ListRequest("secret", "", 10));
            raw.send(new ListRequest("pub/tree/inner", "", 10));
            assertThat(raw.expect(Listing.class).entries()).extracting(ListingEntry::name)
                    .containsExactly("a.txt", "b.txt", "big", "tree");
            assertThat(raw.expect(Listing.class).entries()).extracting(ListingEntry::name)
                    .containsExactly("empty", "inner", "top.txt");
            assertThat(raw.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(raw.expect(Listing.class).entries()).extracting(ListingEntry::name)
                    .containsExactly("deep.txt");
        } finally {
            transport.close();
        }
    }

    @Test
    void aSessionThatAsksForMorePagesThanItsBoundIsEnded() throws Exception {
        try (RemoteListing listing = host.client().openListing(request())) {
            for (int i = 0; i < MAX_LISTS; i++) {
                assertThat(listing.page("pub", "", 1).entries()).hasSize(1);
            }
            assertThatThrownBy(() -> listing.page("pub", "", 1)).isInstanceOf(MpftException.class)
                    .hasMessageContaining("mpft.max-lists-per-session")
                    .extracting(e -> ((MpftException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        }
        // a new session lists again
        assertThat(host.client().list(request(), "pub", "", 1).entries()).hasSize(1);
    }

    private ListingRequest request() {
        return new ListingRequest("alice", "127.0.0.1", host.port(), new Credentials.Password(PASSWORD.toCharArray()),
                CertificatePins.trusting(host.fingerprint()), null);
    }

    private MpftCli.Run ls(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("ls", "--password-env", "MPFT_PASSWORD", "--accept-new",
                "--known-hosts", dir.resolve("known_hosts").toString()));
        String path = args[args.length - 1];
        all.addAll(List.of(args).subList(0, args.length - 1));
        all.add("alice@127.0.0.1:" + host.port() + ":" + path);
        return new MpftCli(dir, PASSWORD).run(all.toArray(String[]::new));
    }
}
