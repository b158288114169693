package org.mpft.host;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Authenticator;
import org.mpft.api.Principal;
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
                && users.isAuthorizedKey(user, key) && verify(key, signedData, signature)) {
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

    /**
     * Verifies with the JDK's own providers: the key is rebuilt from its X.509 encoding, so a key object
     * of another provider (BouncyCastle) verifies the same way.
     */
    static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        String keyAlgorithm;
        String signatureAlgorithm;
        switch (key.getAlgorithm()) {
            case "Ed25519", "EdDSA" -> {
                keyAlgorithm = "Ed25519";
                signatureAlgorithm = "Ed25519";
            }
            case "RSA" -> {
                keyAlgorithm = "RSA";
                signatureAlgorithm = "SHA256withRSA";
            }
            case "EC", "ECDSA" -> {
                keyAlgorithm = "EC";
                signatureAlgorithm = "SHA256withECDSA";
            }
            default -> {
                return false;
            }
        }
        try {
            PublicKey jdkKey = KeyFactory.getInstance(keyAlgorithm)
                    .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            Signature s = Signature.getInstance(signatureAlgorithm);
            s.initVerify(jdkKey);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
