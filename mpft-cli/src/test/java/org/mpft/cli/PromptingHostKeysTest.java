package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.KnownHostsFile;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class PromptingHostKeysTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream messages = new ByteArrayOutputStream();

    private static byte[] sha(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    private PromptingHostKeys hosts(boolean acceptNew, Terminal terminal) {
        return new PromptingHostKeys(dir.resolve("sub/.mpft/known_hosts"), acceptNew, terminal,
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
    void acceptNewPinsAndTellsTheUser() throws Exception {
        hosts(true, null).verify("h:7300", sha(1), null);
        assertThat(messages.toString(StandardCharsets.UTF_8)).startsWith("mpft: permanently added 'h:7300'");
        hosts(false, null).verify("h:7300", sha(1), null); // known without asking
    }

    @Test
    void changedCertificateIsRefusedEvenWhenTheUserWouldSayYes() throws Exception {
        hosts(true, null).verify("h:7300", sha(1), null);
        PromptingHostKeys hosts = hosts(true, new Scripted("yes"));
        assertRefused(() -> hosts.verify("h:7300", sha(2), null), "HAS CHANGED");
        assertThat(hosts.refusal()).isNotNull();
    }

    @Test
    void unknownWithoutTerminalIsRefusedNamingAcceptNew() {
        PromptingHostKeys hosts = hosts(false, null);
        assertRefused(() -> hosts.verify("h:7300", sha(1), null), "--accept-new");
        assertThat(hosts.refusal()).isNotNull().hasMessageContaining(dir.resolve("sub/.mpft/known_hosts").toString());
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
        assertThat(yes.questions.get(1)).isEqualTo("Please type 'yes' or 'no': ");
        hosts(false, null).verify("h:7300", sha(3), null);

        assertRefused(() -> hosts(false, new Scripted("no")).verify("other:7300", sha(3), null), "refused by the user");
        assertRefused(() -> hosts(false, new Scripted()).verify("other:7300", sha(3), null), "refused by the user");
        assertThat(Files.readAllLines(dir.resolve("sub/.mpft/known_hosts"))).hasSize(1);
    }

    @Test
    void secondaryVouchedByThePrimaryIsAcceptedWithoutAskingButNotPinned() throws Exception {
        Scripted silent = new Scripted();
        hosts(false, silent).verify("s:7301", sha(4), "h:7300");
        assertThat(silent.questions).isEmpty();
        // the user typing that host later is asked as for any unknown server
        assertRefused(() -> hosts(false, null).verify("s:7301", sha(4), null), "no terminal");
    }
}
