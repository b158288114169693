package org.mpft.api;

import java.security.PublicKey;

/**
 * The host's user store, as a channel plugin sees it. The plugin stores no passwords: it asks the host.
 * Implementations must be thread-safe.
 */
public interface Authenticator {

    /**
     * Checks a password.
     *
     * @param user     the user name
     * @param password the password; the caller clears the array after the call
     * @return the authenticated principal
     * @throws AuthenticationFailed when the user is unknown or the password is wrong (one message for
     *                              both, so that user names cannot be probed)
     */
    Principal authenticatePassword(String user, char[] password) throws AuthenticationFailed;

    /**
     * Checks a public-key login: the key must be one of the user's authorized keys and the signature
     * must verify over {@code signedData} with it.
     *
     * @param user       the user name
     * @param key        the client's public key (Ed25519 or RSA, as JDK {@link PublicKey})
     * @param signedData the data the client signed (it contains a challenge chosen by the server)
     * @param signature  the signature ({@code Ed25519} or {@code SHA256withRSA}, raw JDK format)
     * @return the authenticated principal
     * @throws AuthenticationFailed when the key is not authorized for the user or the signature is bad
     */
    Principal authenticatePublicKey(String user, PublicKey key, byte[] signedData, byte[] signature)
            throws AuthenticationFailed;

    /**
     * Looks a user up without a credential, for a channel that has already proven the user's identity
     * another way (an mpft secondary, given a ticket signed by its primary). The host's access rules
     * still apply to the principal returned.
     *
     * @param user the user name
     * @return the principal
     * @throws AuthenticationFailed when the host has no such user (or the user is disabled)
     */
    Principal lookup(String user) throws AuthenticationFailed;
}
