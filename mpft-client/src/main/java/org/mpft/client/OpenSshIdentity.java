package org.mpft.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * A key pair read from an SSH private key file as {@code ssh-keygen} writes it: the OpenSSH format
 * ({@code -----BEGIN OPENSSH PRIVATE KEY-----}, the default and {@code -m RFC4716}), PEM ({@code -m PEM}:
 * {@code BEGIN RSA/EC PRIVATE KEY}) or PKCS#8 ({@code -m PKCS8}, encrypted or not); Ed25519, RSA and ECDSA
 * (nistp256/384/521), unencrypted or protected by a passphrase. The files are decoded by sshd-common
 * ({@link SecurityUtils#loadKeyPairIdentities}), not by code of this project. The keys become JDK keys;
 * signatures are {@code Ed25519}, {@code SHA256withRSA} or {@code SHA256withECDSA} (DER), as the host
 * verifies them. Use it as {@code new Credentials.Key(identity)}.
 *
 * <p>Immutable and thread-safe: each {@link #sign} uses its own {@link Signature}. The passphrase is asked
 * only during {@link #load}, and the array it comes in is cleared after use (sshd-common takes it as a
 * {@code String}, which cannot be cleared).
 */
public final class OpenSshIdentity implements ClientIdentity {

    private final String keyAlgorithm;
    private final String signatureAlgorithm;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String comment;

    private OpenSshIdentity(String keyAlgorithm, String signatureAlgorithm, PrivateKey privateKey, PublicKey publicKey,
                            String comment) {
        this.keyAlgorithm = keyAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.comment = comment;
    }

    /**
     * Initialises the key parsers of sshd-common ahead of a {@link #load}: their first use registers the security
     * providers (BouncyCastle's takes about 0.3 s of CPU), which a thread of its own can do while the caller
     * does other work. Loading a key waits for an initialisation under way instead of repeating it.
     */
    public static void prepare() {
        SecurityUtils.getKeyPairResourceParser();
    }

    /**
     * Loads a key file that is not protected by a passphrase.
     *
     * @param file the private key (e.g. {@code ~/.ssh/id_ed25519})
     * @throws MpftException {@link ErrorCode#INTERNAL_ERROR} for a malformed, unsupported or encrypted key (the
     *                       message says which)
     * @throws IOException   when the file cannot be read
     */
    public static OpenSshIdentity load(Path file) throws IOException, MpftException {
        return load(file, () -> null);
    }

    /**
     * Loads a key file, encrypted or not.
     *
     * @param file       the private key (e.g. {@code ~/.ssh/id_ed25519})
     * @param passphrase called once, only when the key is encrypted; may return null (no passphrase
     *                   available); the array it returns is cleared after use
     * @throws MpftException {@link ErrorCode#AUTHENTICATION_FAILED} for a wrong passphrase,
     *                       {@link ErrorCode#INTERNAL_ERROR} for a malformed, unsupported or locked key (the
     *                       message says which)
     * @throws IOException   when the file cannot be read
     */
    public static OpenSshIdentity load(Path file, Supplier<char[]> passphrase) throws IOException, MpftException {
        byte[] text = Files.readAllBytes(file); // NoSuchFileException etc. reach the caller as they are
        AtomicBoolean asked = new AtomicBoolean();
        AtomicBoolean none = new AtomicBoolean();
        FilePasswordProvider provider = (session, resource, retry) -> {
            if (retry > 0 || asked.getAndSet(true)) {
                return null; // one try: a wrong passphrase is reported, not asked again here
            }
            char[] pass = passphrase == null ? null : passphrase.get();
            if (pass == null) {
                none.set(true);
                return null;
            }
            try {
                return new String(pass);
            } finally {
                Arrays.fill(pass, '\0');
            }
        };
        KeyPair pair;
        try (InputStream in = new java.io.ByteArrayInputStream(text)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, provider);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot use the key " + file
                        + ": no private key found (expected an OpenSSH, PEM or PKCS#8 private key file)");
            }
            pair = it.next();
            if (it.hasNext()) {
                throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot use the key " + file
                        + ": the file holds several keys; mpft reads files with one key");
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (none.get()) {
                throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot use the key " + file
                        + ": the key is protected by a passphrase and no passphrase was given");
            }
            if (asked.get()) {
                throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "wrong passphrase for the key " + file);
            }
            throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot use the key " + file
                    + ": truncated, malformed or unsupported key (" + describe(e) + ")");
        }
        try {
            return of(pair, comment(file));
        } catch (GeneralSecurityException e) {
            throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot use the key " + file
                    + ": the JDK refuses the " + pair.getPublic().getAlgorithm() + " key: " + e.getMessage());
        }
    }

    /** The key pair as JDK keys (sshd-common may hand out Bouncy Castle ones), with its signature algorithm. */
    private static OpenSshIdentity of(KeyPair pair, String comment) throws GeneralSecurityException {
        String algorithm = switch (pair.getPublic().getAlgorithm()) {
            case "Ed25519", "EdDSA", "ED25519" -> "Ed25519";
            case "RSA" -> "RSA";
            case "EC", "ECDSA" -> "EC";
            default -> throw new GeneralSecurityException("unsupported key type " + pair.getPublic().getAlgorithm()
                    + " (mpft reads Ed25519, RSA and ECDSA keys)");
        };
        KeyFactory factory = KeyFactory.getInstance(algorithm);
        PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded()));
        PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
        String signature = switch (algorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> "Ed25519";
        };
        return new OpenSshIdentity(algorithm, signature, privateKey, publicKey, comment);
    }

    /** The comment of the key's {@code .pub} file next to it ({@code type base64 comment}); empty without one. */
    private static String comment(Path file) {
        Path pub = file.resolveSibling(file.getFileName() + ".pub");
        try {
            String[] fields = Files.readString(pub, StandardCharsets.UTF_8).strip().split("\\s+", 3);
            return fields.length == 3 ? fields[2] : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code Ed25519}, {@code RSA} or {@code EC}. */
    @Override
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    @Override
    public byte[] publicKeyX509() {
        return publicKey.getEncoded();
    }

    /** The JDK public key. */
    PublicKey publicKey() {
        return publicKey;
    }

    /** The signature algorithm the host verifies with. */
    String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The comment of the key's {@code .pub} file (often {@code user@host}; empty without one). */
    public String comment() {
        return comment;
    }

    @Override
    public byte[] sign(byte[] data) {
        Objects.requireNonNull(data, "data");
        try {
            Signature signature = Signature.getInstance(signatureAlgorithm);
            signature.initSign(privateKey);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the " + keyAlgorithm + " key", e);
        }
    }

    @Override
    public String toString() {
        return "OpenSshIdentity[" + keyAlgorithm + ", " + comment + "]";
    }
}
