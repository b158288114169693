package org.mpft.client;

import java.util.Objects;

/**
 * How the client logs in to a primary: a password, a key pair, a session offer's single-use token, or a source
 * of such tokens that gives each login its own.
 */
public sealed interface Credentials {

    /**
     * A password; the client clears nothing it does not own, so callers clear the array after the download.
     *
     * @param password the password
     */
    record Password(char[] password) implements Credentials {
        /** Checks the field. */
        public Password {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Password[***]";
        }
    }

    /**
     * An SSH key pair loaded from an OpenSSH private key file.
     *
     * @param identity the loaded key pair
     */
    record Key(ClientIdentity identity) implements Credentials {
        /** Checks the field. */
        public Key {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * The single-use login token of a session offer (printed by the host's SSH command {@code mpft-offer});
     * it logs in the user it was minted for, once.
     *
     * @param token the token's bytes
     */
    record Token(byte[] token) implements Credentials {
        /** Checks and copies the field. */
        public Token {
            token = Objects.requireNonNull(token, "token").clone();
        }

        @Override
        public byte[] token() {
            return token.clone();
        }

        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    /**
     * Single-use login tokens drawn one per login: every login made with these credentials (the first, one after
     * a busy answer or a restart, each of several parallel sessions) presents a token of its own.
     *
     * @param source where the tokens come from
     */
    record TokenSource(LoginTokenSource source) implements Credentials {
        /** Checks the field. */
        public TokenSource {
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String toString() {
            return "TokenSource[***]";
        }
    }
}
