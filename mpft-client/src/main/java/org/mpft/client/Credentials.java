package org.mpft.client;

import java.util.Objects;

/** How the client logs in to a primary: a password or a key pair. */
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
}
