package org.mpft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Principal;

class HostAuthenticatorTest {

    @TempDir
    Path dir;

    private UserStore store;
    private HostAuthenticator auth;

    @BeforeEach
    void setUp() throws IOException {
        store = UserStore.open(dir.resolve("users.properties"));
        auth = new HostAuthenticator(store);
    }

    private Path authorizedKeys(PublicKey... keys) throws IOException {
        StringBuilder text = new StringBuilder("# keys\n");
        for (PublicKey k : keys) {
            text.append(openSsh(k)).append(" test\n");
        }
        return Files.writeString(dir.resolve("authorized_keys"), text);
    }

    /** An authorized_keys entry; MINA cannot encode the JDK's own Ed25519 keys, so those are done here. */
    static String openSsh(PublicKey key) throws IOException {
        if (!key.getAlgorithm().equals("EdDSA") && !key.getAlgorithm().equals("Ed25519")) {
            return PublicKeyEntry.toString(key);
        }
        byte[] x509 = key.getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(blob);
        out.writeInt(11);
        out.writeBytes("ssh-ed25519");
        out.writeInt(32);
        out.write(raw);
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray());
    }

    @Test
    void passwordLogin() throws Exception {
        store.put(new UserAccount("alice", PasswordHasher.hash("pw".toCharArray()), null, AccessRules.WHOLE_HOME));
        assertThat(auth.authenticatePassword("alice", "pw".toCharArray())).isEqualTo(Principal.of("alice"));
        assertThatThrownBy(() -> auth.authenticatePassword("alice", "PW".toCharArray()))
                .isInstanceOf(AuthenticationFailed.class).hasMessage("authentication failed");
        assertThatThrownBy(() -> auth.authenticatePassword("bob", "pw".toCharArray()))
                .isInstanceOf(AuthenticationFailed.class).hasMessage("authentication failed");
        assertThat(auth.lookup("alice")).isEqualTo(Principal.of("alice"));
        assertThatThrownBy(() -> auth.lookup("bob")).isInstanceOf(AuthenticationFailed.class);
    }

    @ParameterizedTest
    @CsvSource({"Ed25519,Ed25519", "RSA,SHA256withRSA", "EC,SHA256withECDSA"})
    void publicKeyLoginWithJdkKeys(String keyType, String signatureAlgorithm) throws Exception {
        KeyPair good = KeyPairGenerator.getInstance(keyType).generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance(keyType).generateKeyPair();
        store.put(new UserAccount("alice", null, authorizedKeys(good.getPublic()), AccessRules.WHOLE_HOME));
        byte[] challenge = "session-id and challenge".getBytes();

        byte[] sig = sign(good, signatureAlgorithm, challenge);
        assertThat(auth.authenticatePublicKey("alice", good.getPublic(), challenge, sig)).isEqualTo(Principal.of("alice"));

        byte[] otherChallenge = "another challenge".getBytes();
        assertThatThrownBy(() -> auth.authenticatePublicKey("alice", good.getPublic(), otherChallenge, sig))
                .isInstanceOf(AuthenticationFailed.class);
        byte[] otherSig = sign(other, signatureAlgorithm, challenge);
        assertThatThrownBy(() -> auth.authenticatePublicKey("alice", other.getPublic(), challenge, otherSig))
                .isInstanceOf(AuthenticationFailed.class);
        assertThatThrownBy(() -> auth.authenticatePublicKey("bob", good.getPublic(), challenge, sig))
                .isInstanceOf(AuthenticationFailed.class);
    }

    private static byte[] sign(KeyPair pair, String algorithm, byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        s.initSign(pair.getPrivate());
        s.update(data);
        return s.sign();
    }
}
