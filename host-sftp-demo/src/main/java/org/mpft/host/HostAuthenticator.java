package org.mpft.host;

import java.security.PublicKey;
import java.util.Objects;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Authenticator;
import org.mpft.api.Principal;
import org.mpft.sshd.LoginSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The host's {@link Authenticator} for plugins, on the same {@link UserStore} as SFTP logins. */
final class HostAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(HostAuthenticator.class);
    private static final String REFUSED = "authentication failed";

    private final UserStore users;

    HostAuthenticator(UserStore users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public Principal authenticatePassword(String user, char[] password) throws AuthenticationFailed {
        if (user != null && password != null && users.checkPassword(user, password)) {
            return Principal.of(user);
        }
        LOG.warn("login refused: user '{}' from plugin channel (password)", user);
        throw new AuthenticationFailed(REFUSED);
    }

    @Override
    public Principal authenticatePublicKey(String user, PublicKey key, byte[] signedData, byte[] signature)
            throws AuthenticationFailed {
        if (user != null && key != null && signedData != null && signature != null
                && users.isAuthorizedKey(user, key) && LoginSignatures.verify(key, signedData, signature)) {
            return Principal.of(user);
        }
        LOG.warn("login refused: user '{}' from plugin channel (public key {})", user,
                key == null ? null : key.getAlgorithm());
        throw new AuthenticationFailed(REFUSED);
    }

    @Override
    public Principal lookup(String user) throws AuthenticationFailed {
        if (user != null && users.find(user).isPresent()) {
            return Principal.of(user);
        }
        throw new AuthenticationFailed("no such user");
    }

}
