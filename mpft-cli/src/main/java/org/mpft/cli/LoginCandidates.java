package org.mpft.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.mpft.client.AgentIdentity;
import org.mpft.client.ClientIdentity;
import org.mpft.client.Credentials;
import org.mpft.client.OpenSshIdentity;
import org.mpft.client.SshAgent;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The credentials a direct login tries, in order, one login (one connection) each, as ssh tries its
 * identities: with {@code -i KEY} that key only, with {@code --password-env VAR} that password only; else
 * the keys of the ssh-agent at {@code SSH_AUTH_SOCK}, then the configuration's {@code IdentityFile}s or, when
 * it names none, the default identities {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} (those
 * that exist), and last the password asked on the terminal. A key file is loaded only when its turn comes
 * (an encrypted one asks its passphrase then); a default or configured key that cannot be used is skipped
 * with a note on stderr. {@link #close()} clears every password handed out.
 */
final class LoginCandidates implements AutoCloseable {

    /** The default identities, in the order ssh tries them. */
    static final List<String> DEFAULT_IDENTITIES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /** A login that cannot be tried, with the command's exit code. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Unusable(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** One candidate: makes its credentials when its turn comes, or null to skip it. */
    @FunctionalInterface
    private interface Candidate {
        Credentials credentials() throws Unusable;
    }

    private final Deque<Candidate> candidates = new ArrayDeque<>();
    private final List<char[]> passwords = new ArrayList<>();
    private final List<byte[]> triedKeys = new ArrayList<>();
    private final PrintStream err;

    private LoginCandidates(PrintStream err) {
        this.err = err;
    }

    /**
     * The candidates for a login.
     *
     * @param identity      {@code -i}, or null
     * @param passwordEnv   {@code --password-env}, or null
     * @param passphraseEnv {@code --passphrase-env}, or null
     * @param configured    the configuration's {@code IdentityFile}s
     * @param prompt        the user and host shown in the password prompt ({@code alice@host})
     */
    static LoginCandidates of(CliEnvironment env, Path identity, String passwordEnv, String passphraseEnv,
                              List<Path> configured, String prompt) {
        LoginCandidates login = new LoginCandidates(env.err());
        if (identity != null) {
            login.candidates.add(() -> login.keyFile(env, identity, passphraseEnv, true));
            return login;
        }
        if (passwordEnv != null) {
            login.candidates.add(() -> {
                String value = env.environment().apply(passwordEnv);
                if (value == null) {
                    throw new Unusable(ExitCodes.USAGE, "--password-env: the environment variable " + passwordEnv
                            + " is not set");
                }
                return login.password(value.toCharArray());
            });
            return login;
        }
        String socket = env.environment().apply("SSH_AUTH_SOCK");
        if (socket != null && !socket.isBlank()) {
            login.agentKeys(new SshAgent(Path.of(socket)));
        }
        List<Path> files = new ArrayList<>(configured);
        if (files.isEmpty()) {
            for (String name : DEFAULT_IDENTITIES) {
                files.add(env.home().resolve(".ssh").resolve(name));
            }
        }
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                login.candidates.add(() -> login.keyFile(env, file, passphraseEnv, false));
            }
        }
        login.candidates.add(() -> {
            if (env.terminal() == null) {
                return null;
            }
            char[] password = env.terminal().readPassword(prompt + "'s password: ");
            return password == null ? null : login.password(password);
        });
        return login;
    }

    /**
     * The first credentials to try; the rest follow with {@link #next()} after a refused login.
     *
     * @throws Unusable when there is none to try (the message says what to give), or as {@link #next()}
     */
    Credentials first(CliEnvironment env) throws Unusable {
        Credentials credentials = next();
        if (credentials != null) {
            return credentials;
        }
        if (env.terminal() == null) {
            throw new Unusable(ExitCodes.USAGE, "no credentials: give --password-env VAR or -i KEYFILE, or load a key"
                    + " into ssh-agent (there is no terminal to ask for a password)");
        }
        throw new Unusable(ExitCodes.USAGE, "no password given");
    }

    /**
     * The next credentials to try, or null when none is left.
     *
     * @throws Unusable when a key the user named ({@code -i}) or a password variable cannot be used
     */
    Credentials next() throws Unusable {
        while (!candidates.isEmpty()) {
            Credentials credentials = candidates.poll().credentials();
            if (credentials != null) {
                return credentials;
            }
        }
        return null;
    }

    private void agentKeys(SshAgent agent) {
        List<AgentIdentity> keys;
        try {
            keys = agent.identities();
        } catch (IOException e) {
            err.println("mpft: " + e.getMessage() + "; not using the agent");
            return;
        }
        for (AgentIdentity key : keys) {
            candidates.add(() -> key(key));
        }
    }

    /** The credentials of a key, or null when the same public key was tried already (from the agent). */
    private Credentials key(ClientIdentity identity) {
        byte[] publicKey = identity.publicKeyX509();
        for (byte[] tried : triedKeys) {
            if (Arrays.equals(tried, publicKey)) {
                return null;
            }
        }
        triedKeys.add(publicKey);
        return new Credentials.Key(identity);
    }

    private Credentials password(char[] password) {
        passwords.add(password);
        return new Credentials.Password(password);
    }

    private Credentials keyFile(CliEnvironment env, Path file, String passphraseEnv, boolean named) throws Unusable {
        AtomicBoolean noPassphrase = new AtomicBoolean();
        Supplier<char[]> passphrase = () -> {
            char[] value;
            if (passphraseEnv != null) {
                String text = env.environment().apply(passphraseEnv);
                value = text == null ? null : text.toCharArray();
            } else {
                value = env.terminal() == null ? null
                        : env.terminal().readPassword("Enter passphrase for key '" + file + "': ");
            }
            noPassphrase.set(value == null);
            return value;
        };
        try {
            return key(OpenSshIdentity.load(file, passphrase));
        } catch (IOException e) {
            return skip(named, ExitCodes.USAGE, "cannot read the key " + file + ": " + describe(e));
        } catch (MpftException e) {
            String hint = noPassphrase.get() ? " (run on a terminal to be asked, use --passphrase-env VAR, or remove"
                    + " it with 'ssh-keygen -p')" : "";
            return skip(named, e.code() == ErrorCode.AUTHENTICATION_FAILED ? ExitCodes.AUTHENTICATION
                    : ExitCodes.USAGE, e.getMessage() + hint);
        }
    }

    /** A key the user named is an error; a default or configured one is skipped with a note. */
    private Credentials skip(boolean named, int exitCode, String message) throws Unusable {
        if (named) {
            throw new Unusable(exitCode, message);
        }
        err.println("mpft: " + message + "; skipping it");
        return null;
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file " + e.getMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Clears every password handed out. */
    @Override
    public void close() {
        for (char[] password : passwords) {
            Arrays.fill(password, '\0');
        }
    }

}
