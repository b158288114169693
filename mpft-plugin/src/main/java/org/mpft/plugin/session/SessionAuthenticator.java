package org.mpft.plugin.session;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.Authenticator;
import org.mpft.api.Principal;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.AuthPublicKey;
import org.mpft.protocol.AuthSignedData;
import org.mpft.protocol.AuthToken;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.Frame;

/**
 * Checks a login frame with the host's {@link Authenticator}: a password as it is, a public key decoded
 * from its X.509 encoding with the signature checked over {@link AuthSignedData} (this session's
 * challenge, the user and this server's certificate), a login token with the {@link LoginTokens} that minted it
 * (the host then looks the user up: a user it no longer has is refused). Blocking: call it off the event loop.
 */
final class SessionAuthenticator {

    /** The key algorithms a client may log in with (JDK names). */
    static final Set<String> KEY_ALGORITHMS = Set.of("Ed25519", "RSA", "EC");

    private final Authenticator host;
    private final Bytes certificateSha256;
    private final LoginTokens tokens;

    SessionAuthenticator(Authenticator host, Bytes certificateSha256, LoginTokens tokens) {
        this.host = host;
        this.certificateSha256 = certificateSha256;
        this.tokens = tokens;
    }

    /** The user name a login frame (AUTH_PASSWORD, AUTH_PUBLIC_KEY or AUTH_TOKEN) logs in as. */
    static String user(Frame login) {
        return login instanceof AuthPassword p ? p.user()
                : login instanceof AuthToken t ? t.user() : ((AuthPublicKey) login).user();
    }

    /** Checks a login frame of any kind; {@code challenge} is the one the session sent (for key logins). */
    Principal check(Frame login, Bytes challenge) throws AuthenticationFailed {
        return login instanceof AuthPassword p ? password(p)
                : login instanceof AuthToken t ? token(t) : publicKey((AuthPublicKey) login, challenge);
    }

    /** Checks a token login: the token is used up whatever the answer. */
    Principal token(AuthToken frame) throws AuthenticationFailed {
        if (!tokens.redeem(frame.user(), frame.token())) {
            throw new AuthenticationFailed("the login token is unknown, used, expired or minted for another user");
        }
        return host.lookup(frame.user());
    }

    /** Checks a password login; the decoded password is cleared after the host's answer. */
    Principal password(AuthPassword frame) throws AuthenticationFailed {
        char[] password = decode(frame.password());
        try {
            return host.authenticatePassword(frame.user(), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Checks a public-key login over this session's challenge. */
    Principal publicKey(AuthPublicKey frame, Bytes challenge) throws AuthenticationFailed {
        if (!KEY_ALGORITHMS.contains(frame.keyAlgorithm())) {
            throw new AuthenticationFailed("key algorithm " + frame.keyAlgorithm() + " is not supported (expected "
                    + String.join(", ", KEY_ALGORITHMS) + ")");
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance(frame.keyAlgorithm())
                    .generatePublic(new X509EncodedKeySpec(frame.publicKey().toByteArray()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AuthenticationFailed("malformed " + frame.keyAlgorithm() + " public key");
        }
        byte[] signedData = AuthSignedData.of(challenge, frame.user(), certificateSha256);
        return host.authenticatePublicKey(frame.user(), key, signedData, frame.signature().toByteArray());
    }

    private static char[] decode(Bytes password) throws AuthenticationFailed {
        byte[] bytes = password.toByteArray();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            Arrays.fill(chars.array(), '\0');
            return result;
        } catch (CharacterCodingException e) {
            throw new AuthenticationFailed("the password is not valid UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
