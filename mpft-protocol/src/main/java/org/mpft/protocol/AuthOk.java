package org.mpft.protocol;

import java.util.Objects;

/**
 * Server to client: the login succeeded.
 *
 * @param user the user name the host authenticated
 */
public record AuthOk(String user) implements Frame {

    /** Checks the fields. */
    public AuthOk {
        Objects.requireNonNull(user, "user");
    }

    @Override
    public FrameType type() {
        return FrameType.AUTH_OK;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(user);
    }

    static AuthOk decode(WireReader in) throws ProtocolException {
        return new AuthOk(in.string("user"));
    }
}
