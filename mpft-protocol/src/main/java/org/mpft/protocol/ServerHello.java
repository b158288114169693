package org.mpft.protocol;

import java.util.Objects;

/**
 * Server to client, answer to {@link Hello}: the version chosen, the features both sides support, and a
 * fresh random challenge that a public-key login signs.
 *
 * @param version    the protocol version the session uses
 * @param features   feature bits enabled for the session
 * @param challenge  random bytes (32) for {@link AuthPublicKey}
 * @param serverName the server instance's name, for logs and progress lines
 */
public record ServerHello(int version, long features, Bytes challenge, String serverName) implements Frame {

    /** Checks the fields. */
    public ServerHello {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(serverName, "serverName");
    }

    @Override
    public FrameType type() {
        return FrameType.SERVER_HELLO;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.u16(version).i64(features).shortBytes(challenge.internal(), 256, "challenge").string(serverName);
    }

    static ServerHello decode(WireReader in) throws ProtocolException {
        return new ServerHello(in.u16(), in.i64(), Bytes.wrap(in.shortBytes(256, "challenge")),
                in.string("serverName"));
    }
}
