package org.mpft.api.tck;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** Writes JDK public keys as OpenSSH {@code authorized_keys} lines (RFC 4253 and RFC 8709 encodings). */
public final class OpenSshKeys {

    /** Length of the X.509 prefix of an Ed25519 public key before its 32 raw bytes (RFC 8410). */
    private static final int ED25519_X509_PREFIX = 12;

    private OpenSshKeys() {
    }

    /**
     * The key as one {@code authorized_keys} line: {@code ssh-ed25519 AAAA...} or {@code ssh-rsa AAAA...}.
     *
     * @throws IllegalArgumentException for another kind of key
     */
    public static String authorizedKeyLine(PublicKey key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String type;
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (key instanceof RSAPublicKey rsa) {
                type = "ssh-rsa";
                string(out, type.getBytes(StandardCharsets.US_ASCII));
                string(out, rsa.getPublicExponent().toByteArray());
                string(out, rsa.getModulus().toByteArray());
            } else if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
                type = "ssh-ed25519";
                byte[] x509 = key.getEncoded();
                string(out, type.getBytes(StandardCharsets.US_ASCII));
                string(out, Arrays.copyOfRange(x509, ED25519_X509_PREFIX, x509.length));
            } else {
                throw new IllegalArgumentException("no OpenSSH encoding here for " + key.getAlgorithm() + " keys");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return type + " " + Base64.getEncoder().encodeToString(bytes.toByteArray()) + " tck";
    }

    private static void string(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

}
