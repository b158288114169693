package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class KnownHostsFileTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream messages = new ByteArrayOutputStream();

    private static byte[] sha(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    private KnownHostsFile hosts(boolean acceptNew, Terminal terminal) {
        return new KnownHostsFile(dir.resolve("sub/.mpft/known_hosts"), acceptNew, terminal,
                new PrintStream(messages, true, StandardCharsets.UTF_8));
    }

    /** A terminal that answers from a script and records the questions. */
    private static final class Scripted implements Terminal {
        final Deque<String> answers;
        final List<String> questions = new ArrayList<>();

        Scripted(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public String readLine(String prompt) {
            questions.add(prompt);
            return answers.poll();
        }

        @Override
        public char[] readPassword(String prompt) {
            throw new AssertionError("no password expected");
        }
    }

    private static void assertRefused(ThrowingCall call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(MpftException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void acceptNewPinsWithPrivateModes() throws Exception {
        KnownHostsFile hosts = hosts(true, null);
        hosts.verify("h:7300", sha(1), null);
        Path file = dir.resolve("sub/.mpft/known_hosts");
        assertThat(Files.readString(file)).isEqualTo("h:7300 " + KnownHostsFile.fingerprint(sha(1)) + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(messages.toString(StandardCharsets.UTF_8)).contains("permanently added 'h:7300'");
        hosts.verify("h:7300", sha(1), null); // known now
        hosts(false, null).verify("h:7300", sha(1), null); // known without asking
    }

    @Test
    void changedCertificateIsAlwaysRefused() throws Exception {
        hosts(true, null).verify("h:7300", sha(1), null);
        assertRefused(() -> hosts(true, new Scripted("yes")).verify("h:7300", sha(2), null), "HAS CHANGED");
        assertRefused(() -> hosts(true, null).verify("h:7300", sha(2), "primary:7300"), "has changed");
        assertThat(Files.readAllLines(dir.resolve("sub/.mpft/known_hosts"))).hasSize(1);
    }

    @Test
    void unknownWithoutTerminalIsRefusedNamingAcceptNew() {
        KnownHostsFile hosts = hosts(false, null);
        assertRefused(() -> hosts.verify("h:7300", sha(1), null), "--accept-new");
        assertThat(hosts.refusal()).isNotNull();
        assertThat(dir.resolve("sub/.mpft/known_hosts")).doesNotExist();
    }

    @Test
    void askOnTheTerminal() throws Exception {
        Scripted yes = new Scripted("maybe", "yes");
        hosts(false, yes).verify("h:7300", sha(3), null);
        assertThat(yes.questions.get(0)).contains("The authenticity of server h:7300 can't be established.")
                .contains("Certificate SHA256 fingerprint is " + KnownHostsFile.fingerprint(sha(3)))
                .contains("(yes/no)?");
        assertThat(yes.questions).hasSize(2);
        hosts(false, null).verify("h:7300", sha(3), null);

        assertRefused(() -> hosts(false, new Scripted("no")).verify("other:7300", sha(3), null), "refused by the user");
        assertRefused(() -> hosts(false, new Scripted()).verify("other:7300", sha(3), null), "refused by the user");
    }

    @Test
    void secondaryVouchedByThePrimaryIsPinned() throws Exception {
        Scripted silent = new Scripted();
        hosts(false, silent).verify("s:7301", sha(4), "h:7300");
        assertThat(silent.questions).isEmpty();
        hosts(false, null).verify("s:7301", sha(4), null);
    }

    @Test
    void readsHexAndBase64CommentsAndBlankLines() throws Exception {
        Path file = dir.resolve("sub/.mpft/known_hosts");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# pinned by hand\n\n[::1]:7300 SHA256:" + HexFormat.of().formatHex(sha(5))
                + "\nh:7300 SHA256:" + java.util.Base64.getEncoder().encodeToString(sha(6)) + "\n");
        hosts(false, null).verify("[::1]:7300", sha(5), null);
        hosts(false, null).verify("H:7300", sha(6), null);
        assertRefused(() -> hosts(false, null).verify("h:7300", sha(5), null), "changed");
    }

    @Test
    void fingerprintRoundTrip() {
        byte[] sha = HexFormat.of().parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(KnownHostsFile.fingerprint(sha)).isEqualTo("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
        assertThat(KnownHostsFile.parseFingerprint(KnownHostsFile.fingerprint(sha))).isEqualTo(sha);
        assertThat(KnownHostsFile.parseFingerprint("MD5:xx")).isNull();
        assertThat(KnownHostsFile.parseFingerprint("SHA256:abc")).isNull();
    }
}
