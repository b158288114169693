package org.mpft.cli;

import java.nio.file.Path;

/**
 * Which login a command that talks to a server ({@code mpft get}, {@code mpft ls}) makes for a port-less
 * {@code [USER@]HOST:PATH}: the SSH form (a session offer over {@code ssh}) unless the user asked for a direct
 * login, with {@code --direct} or with an option that only a direct login uses (a password or passphrase
 * variable, a known-hosts file, {@code --accept-new}, {@code --ca}). A target with a QUIC port is always direct.
 */
final class LoginForm {

    private LoginForm() {
    }

    /**
     * True when the options ask for a direct login over QUIC.
     *
     * @param direct        {@code --direct}
     * @param passwordEnv   {@code --password-env}, or null
     * @param passphraseEnv {@code --passphrase-env}, or null
     * @param knownHosts    {@code --known-hosts}, or null
     * @param acceptNew     {@code --accept-new}
     * @param ca            {@code --ca}, or null
     */
    static boolean direct(boolean direct, String passwordEnv, String passphraseEnv, Path knownHosts,
                          boolean acceptNew, String ca) {
        return direct || passwordEnv != null || passphraseEnv != null || knownHosts != null || acceptNew
                || ca != null;
    }
}
