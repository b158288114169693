package org.mpft.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads an administrator's PEM files: a private key (PKCS#8 {@code PRIVATE KEY}, or the traditional
 * {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY} that {@code openssl} writes; EC, RSA or Ed25519; not
 * encrypted, since a server starts unattended), a certificate chain (leaf first), and checks that the two
 * belong together by signing with the key and verifying with the leaf's public key.
 */
final class PemFiles {

    private static final String EC_OID = "1.2.840.10045.2.1";
    private static final String RSA_OID = "1.2.840.113549.1.1.1";
    private static final String ED25519_OID = "1.3.101.112";

    private PemFiles() {
    }

    /**
     * Parses the private key of a PEM text.
     *
     * @param file named in the messages
     * @throws IOException when the text holds no private key, an encrypted one or one of another algorithm
     */
    static PrivateKey privateKey(String text, Path file) throws IOException {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            parsed = parser.readObject();
            while (parsed != null && !isKey(parsed)) {
                parsed = parser.readObject();
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("TLS key " + file + " is not a PEM private key: " + e.getMessage(), e);
        }
        if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IOException("TLS key " + file + " is encrypted; the server starts unattended and needs it"
                    + " unencrypted, readable by its owner only (openssl pkey -in " + file + " -out NEW.pem)");
        }
        PrivateKeyInfo info = parsed instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo() : (PrivateKeyInfo) parsed;
        if (info == null) {
            throw new IOException("TLS key " + file + " holds no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
                    + " PEM block");
        }
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String algorithm = switch (oid) {
            case EC_OID -> "EC";
            case RSA_OID -> "RSA";
            case ED25519_OID -> "Ed25519";
            default -> throw new IOException("TLS key " + file + " is of algorithm " + oid
                    + "; an EC, RSA or Ed25519 key is expected");
        };
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS key " + file + " does not decode as an " + algorithm + " key: "
                    + e.getMessage(), e);
        }
    }

    private static boolean isKey(Object parsed) {
        return parsed instanceof PrivateKeyInfo || parsed instanceof PEMKeyPair
                || parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    /**
     * Every certificate of a PEM file, in the file's order.
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new IOException(file + " holds no CERTIFICATE PEM block");
            }
            return List.copyOf(chain);
        } catch (CertificateException e) {
            throw new IOException(file + " holds no readable X.509 certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code certificate} certifies {@code key}'s public half: a random message signed with the
     * key must verify with the certificate's public key.
     *
     * @throws IOException naming both files when they do not belong together
     */
    static void checkPair(PrivateKey key, X509Certificate certificate, Path keyFile, Path certificateFile)
            throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm(); // Ed25519 signs the message itself
        };
        boolean matches;
        try {
            byte[] message = new byte[32];
            new SecureRandom().nextBytes(message);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(message);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false; // a key of another algorithm than the certificate's
        }
        if (!matches) {
            throw new IOException("the TLS certificate " + certificateFile + " does not match the TLS key " + keyFile
                    + " (its first certificate is for another key: " + certificate.getSubjectX500Principal().getName()
                    + ")");
        }
    }
}
