package org.mpft.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate authorities and server certificates made by the real {@code openssl} command line, the way an
 * administrator makes them: each CA a folder with {@code ca.pem} and {@code ca.key}. Shared with the
 * integration tests through this module's test-jar.
 */
public final class OpensslPki {

    private final Path dir;

    /** @param dir the folder the keys and certificates are written to */
    public OpensslPki(Path dir) {
        this.dir = dir;
    }

    /** A new self-signed CA ({@code <name>/ca.pem}, {@code <name>/ca.key}); returns its certificate file. */
    public Path certificateAuthority(String name) throws IOException, InterruptedException {
        Path folder = Files.createDirectories(dir.resolve(name));
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", folder.resolve("ca.key").toString(), "-out", folder.resolve("ca.pem").toString(),
                "-days", "2", "-subj", "/CN=" + name);
        return folder.resolve("ca.pem");
    }

    /**
     * A server key ({@code <name>.key}, PKCS#8, mode as openssl leaves it) and certificate ({@code <name>.pem})
     * issued by the CA, for the subject alternative names given (e.g. {@code IP:127.0.0.1}).
     */
    public Path serverCertificate(String name, Path caCertificate, String subjectAltNames)
            throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Path ext = Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltNames
                + "\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        Path caKey = caCertificate.resolveSibling("ca.key");
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCertificate.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        return cert;
    }

    /** Runs {@code openssl} with the arguments in the PKI's folder; fails with its output when it fails. */
    public void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
