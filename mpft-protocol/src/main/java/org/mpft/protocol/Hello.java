package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to server, first frame on the control stream: the protocol version it speaks and the optional
 * features it supports ({@link Features} bits).
 *
 * @param version  the client's protocol version ({@link FrameCodec#PROTOCOL_VERSION})
 * @param features feature bits the client supports
 * @param agent    the client's name and version, for the server's log (e.g. {@code mpft-cli/0.1.0})
 */
public record Hello(int version, long features, String agent) implements Frame {

    /** Checks the fields. */
    public Hello {
        Objects.requireNonNull(agent, "agent");
    }

    @Override
    public FrameType type() {
        return FrameType.HELLO;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.u16(version).i64(features).string(agent);
    }

    static Hello decode(WireReader in) throws ProtocolException {
        return new Hello(in.u16(), in.i64(), in.string("agent"));
    }
}
