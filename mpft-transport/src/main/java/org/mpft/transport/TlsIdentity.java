package org.mpft.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A server's TLS identity: a private key and the certificate chain the server presents (leaf first).
 *
 * <p>By default ({@link #loadOrCreate}) an EC P-256 key pair and a self-signed certificate, created on first
 * use and kept in a folder as {@value #KEY_FILE} (PKCS#8 PEM, file mode 600) and {@value #CERTIFICATE_FILE}
 * (PEM). Clients pin the certificate's SHA-256 ({@link #certificateSha256()}), so its names and dates carry
 * no meaning; it is valid for 50 years. An administrator's own key and certificate chain, e.g. issued by a
 * certificate authority that clients verify, are loaded with {@link #load(Path, Path)}.
 *
 * <p>Either way a key file must be a regular file (a symbolic link is refused, not followed) with no group
 * or other permission bit, or the identity is not loaded.
 */
public final class TlsIdentity {

    /** The private key's file name in the folder. */
    public static final String KEY_FILE = "server-key.pem";

    /** The certificate's file name in the folder. */
    public static final String CERTIFICATE_FILE = "server-cert.pem";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final byte[] sha256;

    private TlsIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.sha256 = sha256(chain.get(0));
    }

    /**
     * Loads the identity kept in {@code folder}, or creates one there when the folder holds neither file.
     *
     * @param folder where the key and certificate are kept; created when missing
     * @param commonName the certificate's common name (informational), e.g. the instance name
     * @throws IOException when the files cannot be read or written, or only one of them exists, or they do
     *                     not parse, or the key file is a symbolic link, not a regular file or open to group
     *                     or others (the message names the file)
     */
    public static TlsIdentity loadOrCreate(Path folder, String commonName) throws IOException {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(commonName, "commonName");
        Path keyFile = folder.resolve(KEY_FILE);
        Path certFile = folder.resolve(CERTIFICATE_FILE);
        boolean hasKey = Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS); // a dangling link is not "no key"
        boolean hasCert = Files.exists(certFile, LinkOption.NOFOLLOW_LINKS);
        if (hasKey && hasCert) {
            return loadKept(keyFile, certFile);
        }
        if (hasKey || hasCert) {
            throw new IOException("incomplete TLS identity in " + folder + ": " + (hasKey ? certFile : keyFile)
                    + " is missing (delete the other file to create a new identity)");
        }
        Files.createDirectories(folder);
        TlsIdentity created = generate(commonName);
        writePrivate(keyFile, pem("PRIVATE KEY", created.privateKey.getEncoded()));
        try {
            writeAtomically(certFile, pem("CERTIFICATE", created.certificate().getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the new certificate", e);
        }
        return created;
    }

    /** A new identity held in memory only (for tests and throw-away servers). */
    public static TlsIdentity generate(String commonName) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "_"));
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365L * 50))),
                    name, pair.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new TlsIdentity(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create a TLS identity", e);
        }
    }

    private static TlsIdentity loadKept(Path keyFile, Path certFile) throws IOException {
        checkKeyFile(keyFile);
        try {
            byte[] der = unpem(readNoFollow(keyFile), "PRIVATE KEY", keyFile);
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            X509Certificate certificate;
            try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(certFile))) {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            return new TlsIdentity(key, List.of(certificate));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("cannot read the TLS identity in " + keyFile.getParent() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads an administrator's own identity: a certificate chain and its private key, both PEM. Nothing is
     * created or changed.
     *
     * @param certificateFile the certificate the server presents, optionally followed by the intermediate
     *                        certificates that lead to the client's certificate authority (leaf first)
     * @param keyFile         the leaf certificate's private key: PKCS#8 {@code PRIVATE KEY} or the traditional
     *                        {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}, not encrypted
     * @throws IOException when a file cannot be read or does not parse, when the key file is a symbolic link,
     *                     not a regular file or open to group or others, or when the certificate is not the
     *                     key's (each message names the file or both files)
     */
    public static TlsIdentity load(Path certificateFile, Path keyFile) throws IOException {
        Objects.requireNonNull(certificateFile, "certificateFile");
        Objects.requireNonNull(keyFile, "keyFile");
        if (!Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("TLS key " + keyFile + " does not exist");
        }
        checkKeyFile(keyFile);
        PrivateKey key = PemFiles.privateKey(readNoFollow(keyFile), keyFile);
        if (!Files.isRegularFile(certificateFile)) {
            throw new IOException("TLS certificate " + certificateFile + " does not exist or is not a regular file");
        }
        List<X509Certificate> chain = PemFiles.certificates(certificateFile);
        PemFiles.checkPair(key, chain.get(0), keyFile, certificateFile);
        return new TlsIdentity(key, chain);
    }

    /** The private key. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The certificate the server presents (the chain's first): self-signed unless the administrator's own. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The chain the server presents, leaf first (one certificate for a self-signed identity). */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The SHA-256 of the certificate's DER encoding (a copy). */
    public byte[] certificateSha256() {
        return sha256.clone();
    }

    /** {@link #certificateSha256()} as lower-case hex. */
    public String fingerprintHex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** The SHA-256 of a certificate's DER encoding. */
    public static byte[] sha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hash the certificate", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String text, String type, Path file) throws IOException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(file + " holds no " + type + " PEM block");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    /**
     * Refuses a key file that others could have read or swapped: a symbolic link (not followed), anything
     * but a regular file, or, on POSIX file systems, a file with any group or other permission bit.
     */
    private static void checkKeyFile(Path keyFile) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(keyFile, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new IOException("TLS key " + keyFile + " is a symbolic link; the key must be a regular file"
                    + " (delete it and the certificate to create a new identity)");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException("TLS key " + keyFile + " is not a regular file");
        }
        if (Files.getFileAttributeView(keyFile, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) == null) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(permissions);
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw new IOException("TLS key " + keyFile + " has mode " + PosixFilePermissions.toString(permissions)
                    + ": other users may read or change it; restrict it to its owner (chmod 600 " + keyFile + ")");
        }
    }

    private static String readNoFollow(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Creates the key file readable by its owner only, before any byte of the key is written. */
    private static void writePrivate(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temp); // not a POSIX file system
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot create " + temp, e);
        }
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        move(temp, file);
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        move(temp, file);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
