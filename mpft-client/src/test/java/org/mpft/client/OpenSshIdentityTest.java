package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

@Timeout(120)
class OpenSshIdentityTest {

    @TempDir
    Path dir;

    /** Runs ssh-keygen; skips the test when it is not installed. */
    private Path keygen(String name, String passphrase, String... options) throws Exception {
        Path key = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", passphrase, "-C", "test@mpft", "-f",
                key.toString()));
        command.addAll(List.of(options));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "ssh-keygen is not installed");
            throw e;
        }
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return key;
    }

    private static void assertSignsVerifiably(OpenSshIdentity identity, String jdkAlgorithm, String signature)
            throws Exception {
        byte[] data = "challenge bytes".getBytes(StandardCharsets.UTF_8);
        byte[] sig = identity.sign(data);
        PublicKey publicKey = KeyFactory.getInstance(jdkAlgorithm)
                .generatePublic(new X509EncodedKeySpec(identity.publicKeyX509()));
        Signature verifier = Signature.getInstance(signature);
        verifier.initVerify(publicKey);
        verifier.update(data);
        assertThat(verifier.verify(sig)).isTrue();
        verifier.initVerify(publicKey);
        verifier.update("other bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(sig)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "ed25519, '', Ed25519, Ed25519",
        "rsa, -b 3072, RSA, SHA256withRSA",
        "ecdsa, -b 256, EC, SHA256withECDSA",
        "ecdsa, -b 384, EC, SHA256withECDSA",
        "ecdsa, -b 521, EC, SHA256withECDSA",
    })
    void unencryptedKeysSignForTheJdk(String type, String bits, String algorithm, String signature) throws Exception {
        List<String> options = new ArrayList<>(List.of("-t", type));
        if (!bits.isEmpty()) {
            options.addAll(List.of(bits.split(" ")));
        }
        Path key = keygen("id_" + type, "", options.toArray(String[]::new));
        OpenSshIdentity identity = OpenSshIdentity.load(key, () -> {
            throw new AssertionError("no passphrase expected");
        });
        assertThat(identity.keyAlgorithm()).isEqualTo(algorithm);
        assertThat(identity.comment()).isEqualTo("test@mpft");
        assertSignsVerifiably(identity, algorithm, signature);
    }

    @Test
    void encryptedKeyWithThePassphrase() throws Exception {
        Path key = keygen("id_enc", "s3cret pass", "-t", "ed25519");
        OpenSshIdentity identity = OpenSshIdentity.load(key, () -> "s3cret pass".toCharArray());
        assertSignsVerifiably(identity, "Ed25519", "Ed25519");
    }

    @Test
    void encryptedKeyWithAWrongOrNoPassphrase() throws Exception {
        Path key = keygen("id_enc", "s3cret", "-t", "ed25519");
        assertThatThrownBy(() -> OpenSshIdentity.load(key, () -> "wrong".toCharArray()))
                .isInstanceOf(MpftException.class).hasMessageContaining("wrong passphrase")
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> OpenSshIdentity.load(key, () -> null))
                .isInstanceOf(MpftException.class).hasMessageContaining("passphrase");
    }

    /** Every format ssh-keygen writes ({@code -m PEM}, {@code -m PKCS8}, {@code -m RFC4716} = OpenSSH) and key type. */
    @ParameterizedTest
    @CsvSource({
        "ed25519, '', RFC4716, Ed25519",
        "ed25519, '', PKCS8, Ed25519",
        "rsa, -b 2048, PEM, RSA",
        "rsa, -b 2048, PKCS8, RSA",
        "rsa, -b 2048, RFC4716, RSA",
        "ecdsa, -b 256, PEM, EC",
        "ecdsa, -b 384, PKCS8, EC",
        "ecdsa, -b 521, RFC4716, EC",
    })
    void everyKeyFormatLoads(String type, String bits, String format, String algorithm) throws Exception {
        List<String> options = new ArrayList<>(List.of("-t", type, "-m", format));
        if (!bits.isEmpty()) {
            options.addAll(List.of(bits.split(" ")));
        }
        Path key = keygen("id_" + type + "_" + format, "", options.toArray(String[]::new));
        OpenSshIdentity identity = OpenSshIdentity.load(key, () -> {
            throw new AssertionError("no passphrase expected");
        });
        assertThat(identity.keyAlgorithm()).isEqualTo(algorithm);
        assertSignsVerifiably(identity, algorithm, identity.signatureAlgorithm());
    }

    @ParameterizedTest
    @CsvSource({"rsa, PEM", "ecdsa, PEM", "ecdsa, PKCS8", "rsa, PKCS8", "ed25519, RFC4716"})
    void encryptedKeysOfEveryFormat(String type, String format) throws Exception {
        Path key = keygen("id_enc_" + type + "_" + format, "s3cret pass", "-t", type, "-m", format);
        OpenSshIdentity identity = OpenSshIdentity.load(key, () -> "s3cret pass".toCharArray());
        assertSignsVerifiably(identity, identity.keyAlgorithm(), identity.signatureAlgorithm());
        assertThatThrownBy(() -> OpenSshIdentity.load(key, () -> "wrong pass".toCharArray()))
                .isInstanceOf(MpftException.class).hasMessageContaining("wrong passphrase")
                .satisfies(e -> assertThat(((MpftException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
        assertThatThrownBy(() -> OpenSshIdentity.load(key, () -> null))
                .isInstanceOf(MpftException.class).hasMessageContaining("no passphrase was given");
    }

    @Test
    void malformedKeys() throws Exception {
        Path pem = dir.resolve("pem");
        Files.writeString(pem, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> OpenSshIdentity.load(pem, () -> null)).isInstanceOf(MpftException.class)
                .hasMessageContaining("cannot use the key " + pem).hasMessageContaining("malformed");
        Path junk = dir.resolve("junk");
        Files.writeString(junk, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
                + "-----END OPENSSH PRIVATE KEY-----\n");
        assertThatThrownBy(() -> OpenSshIdentity.load(junk, () -> null)).isInstanceOf(MpftException.class)
                .hasMessageContaining("malformed");
        Path text = dir.resolve("text");
        Files.writeString(text, "not a key at all\n");
        assertThatThrownBy(() -> OpenSshIdentity.load(text, () -> null)).isInstanceOf(MpftException.class)
                .hasMessageContaining("no private key found");
    }
}
