package org.mpft.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.mpft.client.Credentials;
import org.mpft.client.OpenSshIdentity;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.transport.CertificateAuthorities;

/**
 * The login side of the commands that talk to a server ({@code mpft get}, {@code mpft ls}): credentials
 * from {@code -i KEYFILE} (with {@code --passphrase-env} or a terminal prompt), {@code --password-env} or a
 * terminal prompt, and the certificate authorities of {@code --ca}. Each refusal carries its exit code.
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

    /**
     * The credentials the options give: the key of {@code identity}, else the password of the environment
     * variable {@code passwordEnv}, else a password asked on the terminal.
     *
     * @param identity      {@code -i KEYFILE}, or null
     * @param passphraseEnv {@code --passphrase-env VAR}, or null (then the terminal is asked)
     * @param passwordEnv   {@code --password-env VAR}, or null
     */
    static Credentials credentials(CliEnvironment env, Path identity, String passphraseEnv, String passwordEnv,
                                   String user, String host) throws Refused {
        if (identity != null) {
            AtomicBoolean noPassphrase = new AtomicBoolean();
            Supplier<char[]> passphrase = () -> {
                char[] value;
                if (passphraseEnv != null) {
                    String text = env.environment().apply(passphraseEnv);
                    value = text == null ? null : text.toCharArray();
                } else {
                    value = env.terminal() == null ? null
                            : env.terminal().readPassword("Enter passphrase for key '" + identity + "': ");
                }
                noPassphrase.set(value == null);
                return value;
            };
            try {
                return new Credentials.Key(OpenSshIdentity.load(identity, passphrase));
            } catch (IOException e) {
                throw new Refused(ExitCodes.USAGE, "cannot read the key " + identity + ": " + describe(e));
            } catch (MpftException e) {
                String hint = noPassphrase.get() ? " (run on a terminal to be asked, use --passphrase-env VAR, or remove"
                        + " it with 'ssh-keygen -p')" : "";
                throw new Refused(e.code() == ErrorCode.AUTHENTICATION_FAILED ? ExitCodes.AUTHENTICATION
                        : ExitCodes.USAGE, e.getMessage() + hint);
            }
        }
        if (passwordEnv != null) {
            String value = env.environment().apply(passwordEnv);
            if (value == null) {
                throw new Refused(ExitCodes.USAGE, "--password-env: the environment variable " + passwordEnv
                        + " is not set");
            }
            return new Credentials.Password(value.toCharArray());
        }
        if (env.terminal() == null) {
            throw new Refused(ExitCodes.USAGE, "no credentials: give --password-env VAR or -i KEYFILE"
                    + " (there is no terminal to ask for a password)");
        }
        char[] password = env.terminal().readPassword(user + "@" + host + "'s password: ");
        if (password == null) {
            throw new Refused(ExitCodes.USAGE, "no password given");
        }
        return new Credentials.Password(password);
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

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName().equals("NoSuchFileException")
                ? "no such file " + e.getMessage() : e.getMessage();
    }
}
