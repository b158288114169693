package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class KnownHostsFileTest {

    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();

    private static byte[] sha(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    private KnownHostsFile hosts(KnownHostsFile.UnknownServerPolicy policy) {
        return new KnownHostsFile(dir.resolve("sub/.mpft/known_hosts"), policy, notices::add);
    }

    /** A policy that must not be asked. */
    private static final KnownHostsFile.UnknownServerPolicy NEVER_ASKED = (server, sha256) -> {
        throw new AssertionError("the policy was asked about " + server);
    };

    private static void assertRefused(ThrowingCall call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(MpftException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void acceptNewPinsWithPrivateModes() throws Exception {
        KnownHostsFile hosts = hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW);
        hosts.verify("h:7300", sha(1), null);
        Path file = dir.resolve("sub/.mpft/known_hosts");
        assertThat(hosts.file()).isEqualTo(file);
        assertThat(Files.readString(file)).isEqualTo("h:7300 " + KnownHostsFile.fingerprint(sha(1)) + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(notices).singleElement().asString().startsWith("permanently added 'h:7300' (")
                .endsWith(") to the list of known servers in " + file);
        hosts.verify("h:7300", sha(1), null); // known now
        hosts(NEVER_ASKED).verify("h:7300", sha(1), null); // known without asking
    }

    @Test
    void changedCertificateIsAlwaysRefused() throws Exception {
        hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW).verify("h:7300", sha(1), null);
        assertRefused(() -> hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW).verify("h:7300", sha(2), null),
                "HAS CHANGED");
        assertRefused(() -> hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW).verify("h:7300", sha(2),
                "primary:7300"), "has changed");
        assertThat(Files.readAllLines(dir.resolve("sub/.mpft/known_hosts"))).hasSize(1);
    }

    /**
     * Two mpft runs that meet the same new server at once (the second pins it while the first's policy is still
     * deciding): the first finds the same certificate pinned and adds no second line; with another certificate it
     * refuses, so the file never holds two certificates for one server.
     */
    @Test
    void aServerAnotherRunPinnedMeanwhileIsNotPinnedTwiceNorWithASecondCertificate() throws Exception {
        Path file = dir.resolve("sub/.mpft/known_hosts");
        hosts((server, sha256) -> {
            hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW).verify("h:7300", sha(1), null); // the other run
            return true;
        }).verify("h:7300", sha(1), null);
        assertThat(Files.readAllLines(file)).containsExactly("h:7300 " + KnownHostsFile.fingerprint(sha(1)));

        assertRefused(() -> hosts((server, sha256) -> {
            hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW).verify("g:7300", sha(2), null);
            return true;
        }).verify("g:7300", sha(3), null), "another mpft run recorded 'g:7300'");
        assertThat(Files.readAllLines(file)).containsExactly("h:7300 " + KnownHostsFile.fingerprint(sha(1)),
                "g:7300 " + KnownHostsFile.fingerprint(sha(2)));
        try (var left = Files.list(file.getParent())) {
            assertThat(left.map(f -> f.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("known_hosts", "known_hosts.lock");
        }
    }

    /** Runs that pin different servers at once lose none of them. */
    @Test
    void concurrentPinsOfDifferentServersAreAllKept() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(new Thread(() -> {
                try {
                    hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW).verify("h" + n + ":7300", sha(n), null);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("sub/.mpft/known_hosts"))).hasSize(8);
    }

    @Test
    void unknownServerRefusedByDefaultPolicy() {
        assertRefused(() -> hosts(KnownHostsFile.UnknownServerPolicy.REFUSE).verify("h:7300", sha(1), null),
                "can't be established (certificate " + KnownHostsFile.fingerprint(sha(1)) + ") and it is not in "
                        + dir.resolve("sub/.mpft/known_hosts"));
        assertThat(dir.resolve("sub/.mpft/known_hosts")).doesNotExist();
    }

    @Test
    void thePolicyDecidesAboutUnknownServers() throws Exception {
        List<String> asked = new ArrayList<>();
        hosts((server, sha256) -> {
            asked.add(server + " " + KnownHostsFile.fingerprint(sha256));
            return true;
        }).verify("h:7300", sha(3), null);
        assertThat(asked).containsExactly("h:7300 " + KnownHostsFile.fingerprint(sha(3)));
        hosts(NEVER_ASKED).verify("h:7300", sha(3), null);

        assertRefused(() -> hosts((server, sha256) -> {
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "refused by the user");
        }).verify("other:7300", sha(3), null), "refused by the user");
        assertRefused(() -> hosts(KnownHostsFile.UnknownServerPolicy.REFUSE).verify("other:7300", sha(3), null),
                "other:7300");
        assertThat(Files.readAllLines(dir.resolve("sub/.mpft/known_hosts"))).hasSize(1);
    }

    @Test
    void secondaryVouchedByThePrimaryIsAcceptedButNeverPinned() throws Exception {
        hosts(NEVER_ASKED).verify("s:7301", sha(4), "h:7300");
        hosts(NEVER_ASKED).verify("s:7301", sha(4), "h:7300");
        assertThat(notices).isEmpty();
        assertThat(Files.exists(dir.resolve("sub/.mpft/known_hosts"))).as("nothing written").isFalse();
        // the primary's word does not satisfy a server the user types
        assertRefused(() -> hosts(KnownHostsFile.UnknownServerPolicy.REFUSE).verify("s:7301", sha(4), null),
                "s:7301");
    }

    @Test
    void aVouchedSecondaryNeverOverridesAServerTheUserPinned() throws Exception {
        hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW).verify("s:7301", sha(4), null);
        String pinned = Files.readString(dir.resolve("sub/.mpft/known_hosts"));
        assertRefused(() -> hosts(NEVER_ASKED).verify("s:7301", sha(5), "h:7300"), "changed");
        hosts(NEVER_ASKED).verify("s:7301", sha(4), "h:7300");
        assertThat(Files.readString(dir.resolve("sub/.mpft/known_hosts"))).isEqualTo(pinned);
    }

    @Test
    void readsHexAndBase64CommentsAndBlankLines() throws Exception {
        Path file = dir.resolve("sub/.mpft/known_hosts");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# pinned by hand\n\n[::1]:7300 SHA256:" + HexFormat.of().formatHex(sha(5))
                + "\nh:7300 SHA256:" + java.util.Base64.getEncoder().encodeToString(sha(6)) + "\n");
        hosts(NEVER_ASKED).verify("[::1]:7300", sha(5), null);
        hosts(NEVER_ASKED).verify("H:7300", sha(6), null);
        assertRefused(() -> hosts(NEVER_ASKED).verify("h:7300", sha(5), null), "changed");
    }

    @Test
    void defaultFileIsUnderTheHomeFolder() {
        assertThat(KnownHostsFile.defaultFile(Path.of("/home/a"))).isEqualTo(Path.of("/home/a/.mpft/known_hosts"));
    }

    @Test
    void fingerprintRoundTrip() {
        byte[] sha = HexFormat.of().parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(KnownHostsFile.fingerprint(sha)).isEqualTo("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
        assertThat(KnownHostsFile.parseFingerprint(KnownHostsFile.fingerprint(sha))).isEqualTo(sha);
        assertThat(KnownHostsFile.parseFingerprint("MD5:xx")).isNull();
        assertThat(KnownHostsFile.parseFingerprint("SHA256:abc")).isNull();
    }

    @Test
    void entriesListThePinnedServersInOrder() throws Exception {
        KnownHostsFile hosts = hosts(NEVER_ASKED);
        assertThat(hosts.entries()).isEmpty();
        Files.createDirectories(hosts.file().getParent());
        Files.writeString(hosts.file(), "# comment\n\na:7300 " + KnownHostsFile.fingerprint(sha(1)) + "\nbroken line\n"
                + "[::1]:7301 SHA256:" + HexFormat.of().formatHex(sha(2)) + "\n");
        assertThat(hosts.entries()).containsExactly(
                new KnownHostsFile.Entry("a:7300", KnownHostsFile.fingerprint(sha(1))),
                new KnownHostsFile.Entry("[::1]:7301", KnownHostsFile.fingerprint(sha(2))));
        assertThat(hosts.entries().get(1).host()).isEqualTo("[::1]");
        assertThat(hosts.entries().get(1).port()).isEqualTo(7301);
    }

    @Test
    void removeKeepsEverythingElseAndTheServerIsUnknownAfterwards() throws Exception {
        KnownHostsFile hosts = hosts(KnownHostsFile.UnknownServerPolicy.ACCEPT_NEW);
        hosts.verify("a:7300", sha(1), null);
        hosts.verify("a:7301", sha(2), null);
        hosts.verify("b:7300", sha(3), null);
        Files.writeString(hosts.file(), "# keep me\n" + Files.readString(hosts.file()));
        assertThat(hosts.remove("A", 7301)).containsExactly(new KnownHostsFile.Entry("a:7301",
                KnownHostsFile.fingerprint(sha(2))));
        assertThat(Files.readString(hosts.file())).startsWith("# keep me\na:7300 ").doesNotContain("a:7301");
        assertThat(hosts.remove("a", 7301)).isEmpty();
        assertThat(hosts.remove("nobody", KnownHostsFile.ANY_PORT)).isEmpty();
        assertThat(hosts.remove("a", KnownHostsFile.ANY_PORT)).hasSize(1);
        assertThat(hosts.entries()).extracting(KnownHostsFile.Entry::hostAndPort).containsExactly("b:7300");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts.file()))).isEqualTo("rw-------");
        // forgotten: another certificate for a:7300 is now a new server, not a changed one
        KnownHostsFile refusing = hosts(KnownHostsFile.UnknownServerPolicy.REFUSE);
        assertRefused(() -> refusing.verify("a:7300", sha(9), null), "can't be established");
    }
}
