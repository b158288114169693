package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.FileTransferClient;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RemotePath;
import org.mpft.host.OpenSsh;

/**
 * A corpus of hostile names against the real plugin over the network ({@link FileTransferClient} sends
 * every name as it is: the client library does not check it first), each compared with what the host's
 * own SFTP subsystem answers for the same name (MINA's SFTP client, which, unlike an {@code sftp} batch
 * line, can carry any character). No name may deliver a file; every refusal must
 * be of the class SFTP gives (SFTP "permission denied" = mpft INVALID_PATH or ACCESS_DENIED; SFTP "no such
 * file" = mpft FILE_NOT_FOUND, or INVALID_PATH where mpft's name rule is stricter); and canary files
 * outside alice's home (or outside her read rules) are never read: their access time, set three days
 * back, would move (relatime) on the first read by anyone. Hard links to canaries (out of the home, into
 * another home, out of the rules) are refused by both: the host serves no file with several links unless
 * {@code files.allow-hard-links=true}.
 */
@Timeout(600)
class HostileNamesIT {

    private static final String PASSWORD = "alice-pw";
    private static final FileTime LONG_AGO = FileTime.from(Instant.now().minus(Duration.ofDays(3)));
    private static final String CANARY = "CANARY: must never be read\n";

    @TempDir
    static Path work;

    static Path key;

    @RegisterExtension
    static final MpftHost fixture = MpftHost.builder()
            .user(work -> HostProcess.User.withKey("alice", Path.of((key = OpenSsh.ed25519Key(
                    Files.createDirectories(work.resolve("keys")), "id_ed25519")) + ".pub")).password(PASSWORD).read("/pub"))
            .user(HostProcess.User.withPassword("bob", "bob-pw"))
            .pluginProperty("mpft.max-transfers-per-session", "100000")
            .quiet()
            .build();

    static HostProcess host;
    static FileTransferClient client;
    static Path outside;
    static List<Path> canaries = new ArrayList<>();
    static volatile String lastError;

    /** How SFTP answered a name. */
    enum Sftp { DENIED, MISSING, SERVED, OTHER }

    @BeforeAll
    static void start() throws Exception {
        host = fixture.process();

        Path home = host.home("alice");
        Path pub = Files.createDirectories(home.resolve("pub"));
        Files.writeString(pub.resolve("ok.txt"), "inside\n");
        outside = Files.createDirectories(work.resolve("outside"));
        Path canary = canary(outside.resolve("canary.txt"));
        Path bobCanary = canary(host.home("bob").resolve("canary.txt"));
        Path privateCanary = canary(home.resolve("private.txt")); // inside the home, outside the read rules
        Files.createDirectories(host.home("bob"));
        Files.createSymbolicLink(pub.resolve("abs-link"), canary);
        Files.createSymbolicLink(pub.resolve("rel-link"), Path.of("../../bob/canary.txt"));
        Files.createSymbolicLink(pub.resolve("dir-link"), outside);
        Files.createSymbolicLink(pub.resolve("bob-link"), host.home("bob"));
        Files.createSymbolicLink(pub.resolve("etc-link"), Path.of("/etc"));
        Files.createSymbolicLink(pub.resolve("priv-link"), Path.of("../private.txt"));
        Files.createSymbolicLink(pub.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(pub.resolve("loop-b"), Path.of("loop-a"));
        Files.createSymbolicLink(pub.resolve("dangling"), work.resolve("nothing-here"));
        Files.createSymbolicLink(pub.resolve("home-link"), Path.of(".."));
        Files.createSymbolicLink(pub.resolve("root-link"), Path.of("/"));
        Files.createDirectories(pub.resolve("sub"));
        Files.createSymbolicLink(pub.resolve("sub/up-link"), Path.of("../../../bob"));
        // hard links out of the home, into another home and out of the rules: to a path check, files in /pub
        Path hardCanary = canary(outside.resolve("hard-canary.txt"));
        Files.createLink(pub.resolve("hard-link"), hardCanary);
        Files.createLink(pub.resolve("hard-bob"), bobCanary);
        Files.createLink(pub.resolve("hard-private"), privateCanary);
        canaries.addAll(List.of(canary, bobCanary, privateCanary, hardCanary));
        client = fixture.client();
    }

    private static Path canary(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, CANARY);
        Files.setLastModifiedTime(file, LONG_AGO);
        Files.setAttribute(file, "lastAccessTime", LONG_AGO);
        return file;
    }

    /** The corpus: at least 60 hostile names, by kind. */
    static List<String> corpus() {
        List<String> names = new ArrayList<>(List.of(
                // dot segments, plain and mixed
                "..", "../bob/canary.txt", "../../outside/canary.txt", "pub/../../bob/canary.txt", "a/./../..",
                "pub/../private.txt", "./pub/ok.txt", "pub/./ok.txt", "pub/ok.txt/..", "pub/ok.txt/../../..",
                ".../bob/canary.txt", "....//bob/canary.txt", "pub/...", "pub/..../",
                // absolute and drive paths
                "/etc/passwd", "//etc/passwd", "/../bob/canary.txt", "/pub/../../bob/canary.txt",
                "C:/Windows/win.ini", "C:", "c:pub/ok.txt", "\\\\server\\share\\x",
                // backslashes
                "pub\\ok.txt", "..\\bob\\canary.txt", "pub\\..\\..\\bob\\canary.txt",
                // encoded and doubled dots (never decoded: they are names)
                "%2e%2e/bob/canary.txt", "%2e%2e%2fbob%2fcanary.txt", "..%2fbob%2fcanary.txt", "%252e%252e/bob",
                "..%c0%af..%c0%afbob", "pub/..;/..;/bob", "pub/.%2e/.%2e/bob/canary.txt",
                // NUL and control characters
                "pub/ok.txt\0.jpg", "\0", "pub/\0/../../bob/canary.txt", "pub/ok\n.txt", "pub/ok.txt\r",
                "pub/\t", "pub/\u001b[31mred", "pub/\u007f", "pub/\u0085", "pub/\u2028x", "pub/\u202etxt.exe",
                "pub/\u200bok.txt", "pub/\ufeffok.txt", "pub/\u00adok.txt",
                // unicode look-alikes of / \ and .
                "\u2024\u2024/bob/canary.txt", "\uff0e\uff0e/bob/canary.txt", "\u2025/bob/canary.txt",
                "\ufe30/bob/canary.txt", "pub\u2215ok.txt", "pub\u2044ok.txt", "pub\uff0fok.txt",
                "..\u2215bob\u2215canary.txt", "pub\uff3cok.txt", "\u3002\u3002/bob", "pub/ok\u2024txt",
                // trailing dots and spaces, empty segments
                "pub/ok.txt.", "pub/ok.txt ", "pub/ok.txt...", "pub. /ok.txt", "pub/", "pub//ok.txt", "", " ",
                // over-long
                "pub/" + "a".repeat(256), "pub/" + "d/".repeat(2100) + "x", "x".repeat(5000),
                // symbolic links leading out of the home or the rules, loops, dangling
                "pub/abs-link", "pub/rel-link", "pub/dir-link/canary.txt", "pub/bob-link/canary.txt",
                "pub/etc-link/passwd", "pub/priv-link", "pub/loop-a", "pub/dangling", "pub/home-link/private.txt",
                "pub/home-link/pub/abs-link", "pub/root-link/etc/passwd", "pub/sub/up-link/canary.txt",
                // hard links to files outside the home or the rules (refused: more than one link)
                "pub/hard-link", "pub/hard-bob", "pub/hard-private",
                // outside the read rules
                "private.txt", "/private.txt"));
        return names;
    }

    @Test
    void everyHostileNameIsRefusedLikeSftpAndNothingOutsideIsRead() throws Exception {
        List<String> names = corpus();
        assertThat(names).hasSizeGreaterThanOrEqualTo(60);
        Map<String, ErrorCode> mpft = new LinkedHashMap<>();
        for (String name : names) {
            mpft.put(name, mpftOutcome(name));
        }
        Map<String, Sftp> sftp = new LinkedHashMap<>();
        try (SshClient ssh = SshClient.setUpDefaultClient()) {
            ssh.start();
            try (ClientSession session = ssh.connect("alice", "127.0.0.1", host.sftpPort())
                    .verify(Duration.ofSeconds(10)).getSession()) {
                session.addPasswordIdentity(PASSWORD);
                session.auth().verify(Duration.ofSeconds(10));
                try (SftpClient client = SftpClientFactory.instance().createSftpClient(session)) {
                    for (String name : names) {
                        sftp.put(name, sftpOutcome(client, name));
                    }
                }
            }
        }

        StringBuilder table = new StringBuilder("name | mpft | sftp\n");
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            ErrorCode m = mpft.get(name);
            Sftp s = sftp.get(name);
            table.append(RemotePath.quote(name)).append(" | ").append(m).append(" | ").append(s).append('\n');
            if (m == null) {
                problems.add(RemotePath.quote(name) + ": mpft delivered a file");
                continue;
            }
            boolean consistent = switch (s) {
                case DENIED -> m == ErrorCode.INVALID_PATH || m == ErrorCode.ACCESS_DENIED;
                // outside alice's read rules (/pub) mpft answers ACCESS_DENIED whether the file exists or not, as
                // the host's policy says; the host's SFTP says "no such file" for a missing one (it tells
                // existence outside the rules: a host gap, reported)
                case MISSING -> m == ErrorCode.FILE_NOT_FOUND || m == ErrorCode.INVALID_PATH
                        || (m == ErrorCode.ACCESS_DENIED && !name.startsWith("pub/"));
                // SFTP normalises some names that mpft's stricter rule refuses (a/./b, x/../y inside the home)
                case SERVED -> m == ErrorCode.INVALID_PATH;
                case OTHER -> false;
            };
            if (!consistent) {
                problems.add(RemotePath.quote(name) + ": mpft " + m + " but sftp " + s);
            }
        }
        Files.writeString(Path.of("target", "hostile-names.txt"), table, StandardCharsets.UTF_8);
        assertThat(problems).as("table:\n%s", table).isEmpty();
        assertCanariesUnread();
    }

    @Test
    void aSymlinkSwappedInBetweenCheckAndOpenNeverLeaksTheOutside() throws Exception {
        Path pub = host.home("alice").resolve("pub");
        Path raceCanary = canary(outside.resolve("race/f"));
        canaries.add(raceCanary);
        Path file = pub.resolve("race");
        Path dir = pub.resolve("rdir");
        byte[] inside = "inside-race\n".getBytes(StandardCharsets.US_ASCII);
        AtomicBoolean running = new AtomicBoolean(true);
        SynchronousQueue<CountDownLatch> pauses = new SynchronousQueue<>();
        Thread swapper = new Thread(() -> {
            try {
                while (running.get()) {
                    // the file itself, and a folder on the way, flip between inside and a link to outside
                    Path tmpFile = pub.resolve("race.tmp");
                    Files.deleteIfExists(tmpFile);
                    Files.write(tmpFile, inside);
                    Files.move(tmpFile, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    Path tmpDir = pub.resolve("rdir.tmp");
                    deleteTree(tmpDir);
                    Files.createDirectories(tmpDir);
                    Files.write(tmpDir.resolve("f"), inside);
                    swapDir(tmpDir, dir);
                    // both names hold the inside file now: the test may ask to hold this state for a while
                    CountDownLatch resume = pauses.poll();
                    if (resume != null) {
                        resume.await();
                    }
                    Path link = pub.resolve("race.lnk");
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, raceCanary);
                    Files.move(link, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    Path dirLink = pub.resolve("rdir.lnk");
                    Files.deleteIfExists(dirLink);
                    Files.createSymbolicLink(dirLink, raceCanary.getParent());
                    swapDir(dirLink, dir);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "swapper");
        swapper.setDaemon(true);
        swapper.start();
        int served = 0;
        int refused = 0;
        try {
            for (int i = 0; i < 40; i++) {
                if (i % 4 == 0) {
                    // between two rounds of swaps nothing moves: both names are served, the inside file whole
                    CountDownLatch resume = new CountDownLatch(1);
                    // taken once the swapper holds the inside state (a bound on a hang only: the swapper died)
                    assertThat(pauses.offer(resume, 120, java.util.concurrent.TimeUnit.SECONDS))
                            .as("the swapper pauses").isTrue();
                    try {
                        for (String name : List.of("pub/race", "pub/rdir/f")) {
                            Path out = work.resolve("race-out/held-" + i + "-" + name.replace('/', '_'));
                            Files.createDirectories(out.getParent());
                            assertThat(download(name, out)).as("%s while nothing moves: %s", name, lastError).isNull();
                            assertThat(Files.readAllBytes(out)).as("content of %s", name).isEqualTo(inside);
                            served++;
                        }
                    } finally {
                        resume.countDown();
                    }
                }
                for (String name : List.of("pub/race", "pub/rdir/f")) {
                    Path out = work.resolve("race-out/" + i + "-" + name.replace('/', '_'));
                    Files.createDirectories(out.getParent());
                    ErrorCode code = download(name, out);
                    if (code == null) {
                        served++;
                        assertThat(Files.readAllBytes(out)).as("content of %s", name).isEqualTo(inside);
                    } else {
                        refused++;
                        // FILE_CHANGED: the entry was swapped under the path while it was read (twice)
                        assertThat(code).as("%s: %s", name, lastError).isIn(ErrorCode.INVALID_PATH,
                                ErrorCode.FILE_NOT_FOUND, ErrorCode.ACCESS_DENIED, ErrorCode.FILE_CHANGED);
                    }
                }
            }
        } finally {
            running.set(false);
            swapper.join(5000);
        }
        assertThat(served).as("downloads served (at least those made while nothing moved)").isPositive();
        assertThat(refused).as("some were refused").isPositive();
        assertCanariesUnread();
    }

    @Test
    void aHardLinkOutOfTheHomeIsRefusedBySftpAndMpftAlikeAndNothingIsRead() throws Exception {
        Path out = work.resolve("out/hard-link");
        Files.createDirectories(out.getParent());
        assertThat(download("pub/hard-link", out)).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(lastError).contains("more than one hard link").contains("files.allow-hard-links");
        assertThat(out).doesNotExist();
        try (SshClient ssh = SshClient.setUpDefaultClient()) {
            ssh.start();
            try (ClientSession session = ssh.connect("alice", "127.0.0.1", host.sftpPort())
                    .verify(Duration.ofSeconds(10)).getSession()) {
                session.addPasswordIdentity(PASSWORD);
                session.auth().verify(Duration.ofSeconds(10));
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                    SftpException refused = org.assertj.core.api.Assertions.catchThrowableOfType(() -> {
                        try (InputStream in = sftp.read("pub/hard-link")) {
                            in.readAllBytes();
                        }
                    }, SftpException.class);
                    assertThat(refused).as("sftp refuses the hard link").isNotNull();
                    assertThat(refused.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED);
                    // (SFTP v3 carries no reason: MINA answers "Permission denied"; the host logs nothing more)
                    // and the server serves a normal file afterwards
                    try (InputStream in = sftp.read("pub/ok.txt")) {
                        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("inside\n");
                    }
                }
            }
        }
        assertThat(download("pub/ok.txt", work.resolve("out/ok-after-hard-link.txt"))).isNull();
        assertCanariesUnread();
    }

    @Test
    void theClientRefusesTheSameNamesAsOutputNames() {
        // the CLI checks the output name with the same rule (GetCommand -> RemotePath.validateFileName)
        for (String name : List.of("..", ".", "a\0b", "a\\b", "x.", "x ", "\u2024\u2024", "CON\u202e", "a/b", "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RemotePath.validateFileName(name))
                    .as(RemotePath.quote(name)).isInstanceOf(MpftException.class);
        }
    }

    private static void swapDir(Path replacement, Path dir) throws Exception {
        // a folder cannot replace a folder atomically with Files.move; rename the old away first
        Path old = dir.resolveSibling("rdir.old");
        deleteTree(old);
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.move(dir, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(replacement, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.isSymbolicLink(p) || Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
        } else if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
            Files.delete(p);
        }
    }

    private static void assertCanariesUnread() throws Exception {
        for (Path canary : canaries) {
            FileTime atime = (FileTime) Files.getAttribute(canary, "lastAccessTime");
            assertThat(atime).as("access time of %s (read by someone?)", canary).isEqualTo(LONG_AGO);
            assertThat(Files.readString(canary)).isEqualTo(CANARY); // reading it here moves the atime; checked above
            Files.setAttribute(canary, "lastAccessTime", LONG_AGO);
        }
    }

    private static ErrorCode mpftOutcome(String name) throws Exception {
        Path out = work.resolve("out/" + HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8))));
        Files.createDirectories(out.getParent());
        return download(name, out);
    }

    /** The download's error code, or null when it delivered a file. */
    private static ErrorCode download(String name, Path out) throws Exception {
        try {
            client.download(fixture.request(name, out, false), p -> { });
            return null;
        } catch (MpftException e) {
            lastError = e.getMessage();
            return e.code();
        } catch (IllegalArgumentException e) {
            // a name the client's encoder cannot put on the wire (never reaches the server)
            return ErrorCode.INVALID_PATH;
        }
    }

    /** What the host's SFTP subsystem answers when alice opens and reads {@code name} (MINA client: any byte can be sent). */
    private static Sftp sftpOutcome(SftpClient sftp, String name) {
        try (InputStream in = sftp.read(name)) {
            String got = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(got).as("sftp %s", RemotePath.quote(name)).doesNotContain("CANARY");
            return Sftp.SERVED;
        } catch (SftpException e) {
            return switch (e.getStatus()) {
                case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_INVALID_FILENAME -> Sftp.DENIED;
                case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH,
                        SftpConstants.SSH_FX_NOT_A_DIRECTORY, SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY -> Sftp.MISSING;
                default -> {
                    System.out.println("sftp " + RemotePath.quote(name) + ": status " + e.getStatus() + " " + e.getMessage());
                    yield Sftp.OTHER;
                }
            };
        } catch (IOException e) {
            System.out.println("sftp " + RemotePath.quote(name) + ": " + e);
            return Sftp.OTHER;
        }
    }
}
