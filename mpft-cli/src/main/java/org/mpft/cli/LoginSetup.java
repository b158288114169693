package org.mpft.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.mpft.transport.CertificateAuthorities;

/**
 * The trust side of the commands that talk to a server ({@code mpft get}, {@code mpft ls}): the certificate
 * authorities of {@code --ca}. A refusal carries its exit code. (Their credentials come from
 * {@link LoginCandidates} for a direct login, from {@link SshBootstrap} for the SSH form.)
 */
final class LoginSetup {

    private LoginSetup() {
    }

    /** A login that cannot start, with its exit code. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Refused(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** The authorities of {@code --ca FILE|system}, or null (no {@code --ca}: pin the certificate). */
    static CertificateAuthorities certificateAuthorities(String ca) throws Refused {
        if (ca == null) {
            return null;
        }
        try {
            return ca.equals("system") ? CertificateAuthorities.system() : CertificateAuthorities.fromPemFile(Path.of(ca));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new Refused(ExitCodes.USAGE, "--ca: " + e.getMessage());
        }
    }
}
