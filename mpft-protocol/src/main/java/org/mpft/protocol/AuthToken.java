package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to server: log in with a single-use login token that the server minted for {@code user} and handed
 * out over an already authenticated channel of its host (an SSH exec request answered with a session offer).
 * The server accepts a token once, before it expires, and only for the user it was minted for.
 * {@link #toString()} never shows the token.
 *
 * @param user  the user name the token was minted for
 * @param token the token's bytes (up to {@value #MAX_TOKEN_BYTES})
 */
public record AuthToken(String user, Bytes token) implements Frame {

    /** The longest token the decoder takes, bytes. */
    public static final int MAX_TOKEN_BYTES = 256;

    /** Checks the fields. */
    public AuthToken {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public FrameType type() {
        return FrameType.AUTH_TOKEN;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(user).shortBytes(token.internal(), MAX_TOKEN_BYTES, "token");
    }

    static AuthToken decode(WireReader in) throws ProtocolException {
        return new AuthToken(in.string("user"), Bytes.wrap(in.shortBytes(MAX_TOKEN_BYTES, "token")));
    }

    @Override
    public String toString() {
        return "AuthToken[user=" + user + ", token=***]";
    }
}
