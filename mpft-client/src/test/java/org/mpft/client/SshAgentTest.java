package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshAgent} against a real OpenSSH {@code ssh-agent} holding keys added with the real {@code ssh-add}. */
@Timeout(120)
class SshAgentTest {

    @TempDir
    Path dir;

    private long agentPid;
    private Path socket;

    /** Starts an agent: without -D it forks and its first process exits once the socket listens. */
    @BeforeEach
    void startAgent() throws Exception {
        socket = dir.resolve("agent.sock");
        Process process;
        try {
            process = new ProcessBuilder("ssh-agent", "-s", "-a", socket.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "ssh-agent is not installed");
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Matcher pid = Pattern.compile("SSH_AGENT_PID=(\\d+)").matcher(output);
        assertThat(pid.find()).as(output).isTrue();
        agentPid = Long.parseLong(pid.group(1));
        assertThat(socket).exists();
    }

    @AfterEach
    void stopAgent() throws Exception {
        if (agentPid != 0) {
            ProcessHandle.of(agentPid).ifPresent(ProcessHandle::destroy);
        }
    }

    private Path keygen(String name, String... options) throws Exception {
        Path key = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", name, "-f", key.toString()));
        command.addAll(List.of(options));
        run(command);
        return key;
    }

    private void run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + ": " + output).isZero();
    }

    private static void assertVerifies(ClientIdentity identity, String signatureAlgorithm) throws Exception {
        byte[] challenge = "a server's challenge".getBytes(StandardCharsets.UTF_8);
        byte[] signature = identity.sign(challenge);
        PublicKey key = KeyFactory.getInstance(identity.keyAlgorithm())
                .generatePublic(new X509EncodedKeySpec(identity.publicKeyX509()));
        Signature verifier = Signature.getInstance(signatureAlgorithm);
        verifier.initVerify(key);
        verifier.update(challenge);
        assertThat(verifier.verify(signature)).as(identity + " signature").isTrue();
        verifier.initVerify(key);
        verifier.update("another challenge".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isFalse();
    }

    @Test
    void listsTheAgentsKeysAndSignsWithEachAsTheHostVerifies() throws Exception {
        Path ed = keygen("id_ed25519", "-t", "ed25519");
        Path rsa = keygen("id_rsa", "-t", "rsa", "-b", "2048");
        Path ec = keygen("id_ecdsa", "-t", "ecdsa", "-b", "256");
        Path ec384 = keygen("id_ecdsa384", "-t", "ecdsa", "-b", "384");
        run(List.of("ssh-add", ed.toString(), rsa.toString(), ec.toString(), ec384.toString()));

        List<AgentIdentity> keys = new SshAgent(socket).identities();

        // nistp384 is left out: the agent hashes it with SHA-384, the host verifies ECDSA with SHA-256
        assertThat(keys).extracting(AgentIdentity::sshType)
                .containsExactly("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256");
        assertThat(keys).extracting(AgentIdentity::comment).contains("id_ed25519", "id_rsa", "id_ecdsa");
        // the agent's public keys are the files' public keys
        assertThat(keys.get(0).publicKeyX509()).isEqualTo(OpenSshIdentity.load(ed).publicKeyX509());
        assertThat(keys.get(1).publicKeyX509()).isEqualTo(OpenSshIdentity.load(rsa).publicKeyX509());
        assertThat(keys.get(2).publicKeyX509()).isEqualTo(OpenSshIdentity.load(ec).publicKeyX509());
        assertVerifies(keys.get(0), "Ed25519");
        assertVerifies(keys.get(1), "SHA256withRSA");
        assertVerifies(keys.get(2), "SHA256withECDSA");
    }

    @Test
    void anEmptyAgentHasNoKeys() throws Exception {
        assertThat(new SshAgent(socket).identities()).isEmpty();
    }

    @Test
    void aKeyRemovedFromTheAgentCannotSign() throws Exception {
        Path ed = keygen("id_ed25519", "-t", "ed25519");
        run(List.of("ssh-add", ed.toString()));
        AgentIdentity key = new SshAgent(socket).identities().get(0);
        run(List.of("ssh-add", "-D"));
        assertThatThrownBy(() -> key.sign(new byte[] {1, 2, 3})).hasMessageContaining("refused to sign");
    }

    @Test
    void noAgentAtTheSocket() {
        assertThatThrownBy(() -> new SshAgent(dir.resolve("nothing.sock")).identities())
                .isInstanceOf(IOException.class).hasMessageContaining("cannot reach the ssh-agent at");
    }
}
