package org.mpft.client;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.sshd.common.config.keys.loader.openssh.kdf.BCrypt;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * A key pair read from an OpenSSH private key file ({@code -----BEGIN OPENSSH PRIVATE KEY-----}, the
 * {@code openssh-key-v1} format that {@code ssh-keygen} writes): Ed25519, RSA and ECDSA (nistp256/384/521),
 * unencrypted or protected by a passphrase (bcrypt KDF with aes128/192/256 in CTR, CBC or GCM mode).
 * The keys become JDK keys; signatures are {@code Ed25519}, {@code SHA256withRSA} or
 * {@code SHA256withECDSA} (DER), as the host verifies them. Use it as {@code new Credentials.Key(identity)}.
 *
 * <p>Immutable and thread-safe: each {@link #sign} uses its own {@link Signature}. The passphrase is asked
 * only during {@link #load}, and the arrays holding it are cleared after use.
 */
public final class OpenSshIdentity implements ClientIdentity {

    private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] AUTH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
    /** X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (OID 1.3.101.112), followed by the 32 key bytes. */
    private static final byte[] ED25519_X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

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
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return parse(text, passphrase);
        } catch (KeyFormatException e) {
            throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot use the key " + file + ": " + e.getMessage());
        } catch (WrongPassphrase e) {
            throw new MpftException(ErrorCode.AUTHENTICATION_FAILED, "wrong passphrase for the key " + file);
        }
    }

    /** Thrown for a malformed or unsupported key; the message says what is wrong. */
    static final class KeyFormatException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyFormatException(String message) {
            super(message);
        }
    }

    /** Thrown when the check words do not match after decryption. */
    static final class WrongPassphrase extends Exception {
        private static final long serialVersionUID = 1L;
    }

    static OpenSshIdentity parse(String text, Supplier<char[]> passphrase) throws KeyFormatException, WrongPassphrase {
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            if (text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----")) {
                throw new KeyFormatException("not an OpenSSH-format private key; convert it with"
                        + " 'ssh-keygen -p -f FILE' (which rewrites it in the OpenSSH format)");
            }
            throw new KeyFormatException("not an OpenSSH private key (expected " + BEGIN + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException("bad base64: " + e.getMessage());
        }
        try {
            return parse(ByteBuffer.wrap(blob), passphrase);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new KeyFormatException("truncated or malformed key");
        }
    }

    private static OpenSshIdentity parse(ByteBuffer in, Supplier<char[]> passphrase)
            throws KeyFormatException, WrongPassphrase {
        byte[] magic = new byte[AUTH_MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, AUTH_MAGIC)) {
            throw new KeyFormatException("not an openssh-key-v1 key");
        }
        String cipher = string(in);
        String kdf = string(in);
        byte[] kdfOptions = bytes(in);
        int keys = in.getInt();
        if (keys != 1) {
            throw new KeyFormatException("the file holds " + keys + " keys; mpft reads files with one key");
        }
        bytes(in); // the public key, repeated inside the private section
        byte[] section = bytes(in);
        if (!cipher.equals("none")) {
            section = decrypt(cipher, kdf, kdfOptions, section, in, passphrase);
        }
        ByteBuffer priv = ByteBuffer.wrap(section);
        if (priv.getInt() != priv.getInt()) {
            if (!cipher.equals("none")) {
                throw new WrongPassphrase();
            }
            throw new KeyFormatException("check words differ");
        }
        String type = string(priv);
        try {
            return switch (type) {
                case "ssh-ed25519" -> ed25519(priv);
                case "ssh-rsa" -> rsa(priv);
                case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> ecdsa(priv);
                default -> throw new KeyFormatException("unsupported key type " + type
                        + " (mpft reads ssh-ed25519, ssh-rsa and ecdsa-sha2-nistp256/384/521)");
            };
        } catch (GeneralSecurityException e) {
            throw new KeyFormatException("the JDK refuses the " + type + " key: " + e.getMessage());
        }
    }

    private static OpenSshIdentity ed25519(ByteBuffer in) throws GeneralSecurityException {
        byte[] pub = bytes(in);
        byte[] secret = bytes(in); // seed (32) + public key (32)
        String comment = string(in);
        if (pub.length != 32 || secret.length != 64) {
            throw new IllegalArgumentException("bad ed25519 key lengths");
        }
        KeyFactory factory = KeyFactory.getInstance("Ed25519");
        PrivateKey privateKey = factory.generatePrivate(
                new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Arrays.copyOf(secret, 32)));
        byte[] x509 = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + 32);
        System.arraycopy(pub, 0, x509, ED25519_X509_PREFIX.length, 32);
        PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(x509));
        Arrays.fill(secret, (byte) 0);
        return new OpenSshIdentity("Ed25519", "Ed25519", privateKey, publicKey, comment);
    }

    private static OpenSshIdentity rsa(ByteBuffer in) throws GeneralSecurityException {
        BigInteger n = mpint(in);
        BigInteger e = mpint(in);
        BigInteger d = mpint(in);
        BigInteger iqmp = mpint(in);
        BigInteger p = mpint(in);
        BigInteger q = mpint(in);
        String comment = string(in);
        KeyFactory factory = KeyFactory.getInstance("RSA");
        PrivateKey privateKey = factory.generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, p, q,
                d.mod(p.subtract(BigInteger.ONE)), d.mod(q.subtract(BigInteger.ONE)), iqmp));
        PublicKey publicKey = factory.generatePublic(new RSAPublicKeySpec(n, e));
        return new OpenSshIdentity("RSA", "SHA256withRSA", privateKey, publicKey, comment);
    }

    private static OpenSshIdentity ecdsa(ByteBuffer in) throws GeneralSecurityException, KeyFormatException {
        String curve = string(in);
        byte[] point = bytes(in);
        BigInteger s = mpint(in);
        String comment = string(in);
        String jdkCurve = switch (curve) {
            case "nistp256" -> "secp256r1";
            case "nistp384" -> "secp384r1";
            case "nistp521" -> "secp521r1";
            default -> throw new KeyFormatException("unsupported curve " + curve);
        };
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(jdkCurve));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        int size = (spec.getCurve().getField().getFieldSize() + 7) / 8;
        if (point.length != 1 + 2 * size || point[0] != 4) {
            throw new KeyFormatException("unsupported EC point encoding");
        }
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + size)),
                new BigInteger(1, Arrays.copyOfRange(point, 1 + size, point.length)));
        KeyFactory factory = KeyFactory.getInstance("EC");
        return new OpenSshIdentity("EC", "SHA256withECDSA", factory.generatePrivate(new ECPrivateKeySpec(s, spec)),
                factory.generatePublic(new ECPublicKeySpec(w, spec)), comment);
    }

    private static byte[] decrypt(String cipher, String kdf, byte[] kdfOptions, byte[] section, ByteBuffer rest,
                                  Supplier<char[]> passphrase) throws KeyFormatException, WrongPassphrase {
        if (!kdf.equals("bcrypt")) {
            throw new KeyFormatException("unsupported key derivation " + kdf);
        }
        int keyLength;
        int ivLength;
        String transformation;
        boolean gcm = false;
        switch (cipher) {
            case "aes128-ctr", "aes192-ctr", "aes256-ctr" -> {
                keyLength = Integer.parseInt(cipher.substring(3, 6)) / 8;
                ivLength = 16;
                transformation = "AES/CTR/NoPadding";
            }
            case "aes128-cbc", "aes192-cbc", "aes256-cbc" -> {
                keyLength = Integer.parseInt(cipher.substring(3, 6)) / 8;
                ivLength = 16;
                transformation = "AES/CBC/NoPadding";
            }
            case "aes128-gcm@openssh.com", "aes256-gcm@openssh.com" -> {
                keyLength = Integer.parseInt(cipher.substring(3, 6)) / 8;
                ivLength = 12;
                transformation = "AES/GCM/NoPadding";
                gcm = true;
            }
            default -> throw new KeyFormatException("unsupported key cipher " + cipher);
        }
        char[] pass = passphrase == null ? null : passphrase.get();
        if (pass == null) {
            throw new KeyFormatException("the key is protected by a passphrase and no passphrase was given");
        }
        ByteBuffer options = ByteBuffer.wrap(kdfOptions);
        byte[] salt = bytes(options);
        int rounds = options.getInt();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pass));
        byte[] password = new byte[encoded.remaining()];
        encoded.get(password);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        Arrays.fill(pass, '\0');
        byte[] keyAndIv = new byte[keyLength + ivLength];
        new BCrypt().pbkdf(password, salt, rounds, keyAndIv);
        Arrays.fill(password, (byte) 0);
        try {
            Cipher c = Cipher.getInstance(transformation);
            SecretKeySpec key = new SecretKeySpec(keyAndIv, 0, keyLength, "AES");
            if (gcm) {
                byte[] tag = new byte[16];
                rest.get(tag); // the tag follows the encrypted section, outside its length
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, keyAndIv, keyLength, ivLength));
                c.update(section);
                try {
                    return c.doFinal(tag);
                } catch (javax.crypto.AEADBadTagException e) {
                    throw new WrongPassphrase();
                }
            }
            c.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(keyAndIv, keyLength, ivLength));
            return c.doFinal(section);
        } catch (GeneralSecurityException e) {
            throw new KeyFormatException("cannot decrypt the key: " + e.getMessage());
        } finally {
            Arrays.fill(keyAndIv, (byte) 0);
        }
    }

    private static byte[] bytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad length");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String string(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static BigInteger mpint(ByteBuffer in) {
        return new BigInteger(bytes(in));
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

    /** The key's comment (often {@code user@host}; empty when the file has none). */
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
