package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to server: log in with a password (inside TLS). The server hands it to the host and keeps it
 * nowhere. {@link #toString()} never shows it.
 *
 * @param user     the user name
 * @param password the password, UTF-8
 */
public record AuthPassword(String user, Bytes password) implements Frame {

    /** Checks the fields. */
    public AuthPassword {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public FrameType type() {
        return FrameType.AUTH_PASSWORD;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(user).shortBytes(password.internal(), 1024, "password");
    }

    static AuthPassword decode(WireReader in) throws ProtocolException {
        return new AuthPassword(in.string("user"), Bytes.wrap(in.shortBytes(1024, "password")));
    }

    @Override
    public String toString() {
        return "AuthPassword[user=" + user + ", password=***]";
    }
}
