package org.mpft.sshd;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Authenticator;
import org.mpft.api.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins' {@link Authenticator} on a MINA SSHD server's own authenticators: a password login asks
 * the server's {@link PasswordAuthenticator}, a public-key login verifies the signature here and then
 * asks the server's {@link PublickeyAuthenticator} whether that key may log the user in, exactly the
 * question SSH's {@code publickey} method asks it.
 *
 * <p>MINA's authenticators take a {@code ServerSession}; they get a view of the mpft login carrying the
 * user name and the server's settings, but no client address (see {@code SessionView} for every answer
 * it gives). An authenticator that throws (also {@code AsyncAuthException}: deferred answers need the
 * SSH connection, and {@code PasswordChangeRequiredException}: the mpft client cannot change a password)
 * refuses the login. A missing authenticator refuses its kind of login.
 *
 * <p>Signatures: {@code Ed25519} for Ed25519 keys, {@code SHA256withRSA} for RSA keys and
 * {@code SHA256withECDSA} for EC keys, verified with the JDK's providers. Ed25519 keys are handed to the
 * server's authenticator in MINA's own representation ({@code SecurityUtils.generateEDDSAPublicKey}), so
 * that {@code KeyUtils.compareKeys}-based authenticators ({@code AuthorizedKeysAuthenticator},
 * {@code KeySetPublickeyAuthenticator}) recognise them.
 *
 * <p>MINA's {@code PasswordAuthenticator} takes the password as a {@code String}: the adapter makes one from
 * the caller's array for the call, and cannot clear it afterwards.
 *
 * <p>Thread-safe when the server's authenticators are.
 */
public final class SshdAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(SshdAuthenticator.class);
    private static final String REFUSED = "authentication failed";
    /** Length of the X.509 prefix of an Ed25519 public key before its 32 raw bytes (RFC 8410). */
    private static final int ED25519_X509_PREFIX = 12;

    private final ServerFactoryManager server;
    private final PasswordAuthenticator passwords;
    private final PublickeyAuthenticator keys;
    private final Predicate<String> knownUsers;

    /**
     * @param server     the SSH server (its settings are what the authenticators see as the session's)
     * @param passwords  the server's password authenticator, or null when it takes no passwords
     * @param keys       the server's public-key authenticator, or null when it takes no keys
     * @param knownUsers answers {@link #lookup}: whether the server has this user; MINA has no user directory
     *                   of its own, so the server's code says it ({@code u -> false} refuses every lookup)
     */
    public SshdAuthenticator(ServerFactoryManager server, PasswordAuthenticator passwords,
                             PublickeyAuthenticator keys, Predicate<String> knownUsers) {
        this.server = Objects.requireNonNull(server, "server");
        this.passwords = passwords;
        this.keys = keys;
        this.knownUsers = Objects.requireNonNull(knownUsers, "knownUsers");
    }

    @Override
    public Principal authenticatePassword(String user, char[] password) throws AuthenticationFailed {
        if (user != null && password != null && passwords != null) {
            try {
                if (passwords.authenticate(user, new String(password), SessionView.of(server, user, false))) {
                    return Principal.of(user);
                }
            } catch (Exception e) {
                LOG.warn("login refused: user '{}' (password): the server's authenticator failed: {}", user, e.toString());
                throw new AuthenticationFailed(REFUSED);
            }
        }
        LOG.warn("login refused: user '{}' from plugin channel (password)", user);
        throw new AuthenticationFailed(REFUSED);
    }

    @Override
    public Principal authenticatePublicKey(String user, PublicKey key, byte[] signedData, byte[] signature)
            throws AuthenticationFailed {
        if (user != null && key != null && signedData != null && signature != null && keys != null
                && LoginSignatures.verify(key, signedData, signature)) {
            try {
                if (keys.authenticate(user, sshdKey(key), SessionView.of(server, user, false))) {
                    return Principal.of(user);
                }
            } catch (RuntimeException e) {
                LOG.warn("login refused: user '{}' (public key): the server's authenticator failed: {}", user, e.toString());
                throw new AuthenticationFailed(REFUSED);
            }
        }
        LOG.warn("login refused: user '{}' from plugin channel (public key {})", user,
                key == null ? null : key.getAlgorithm());
        throw new AuthenticationFailed(REFUSED);
    }

    @Override
    public Principal lookup(String user) throws AuthenticationFailed {
        if (user != null && knownUsers.test(user)) {
            return Principal.of(user);
        }
        throw new AuthenticationFailed("no such user");
    }


    /** The key as MINA represents keys of its type (Ed25519 through its EdDSA support); others unchanged. */
    static PublicKey sshdKey(PublicKey key) {
        String algorithm = key.getAlgorithm();
        byte[] encoded = key.getEncoded();
        if ((algorithm.equals("Ed25519") || algorithm.equals("EdDSA")) && encoded != null
                && encoded.length == ED25519_X509_PREFIX + 32) {
            try {
                return SecurityUtils.generateEDDSAPublicKey(KeyPairProvider.SSH_ED25519,
                        Arrays.copyOfRange(encoded, ED25519_X509_PREFIX, encoded.length));
            } catch (GeneralSecurityException | RuntimeException e) {
                LOG.debug("Ed25519 key kept in its own representation: {}", e.toString());
            }
        }
        return key;
    }
}
