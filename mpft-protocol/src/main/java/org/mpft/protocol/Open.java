package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to primary: download a file.
 *
 * @param path     a relative path inside the user's root ({@link RemotePath} rules)
 * @param strategy how to spread chunks over paths, or {@link Strategy#SERVER_DEFAULT}
 * @param flags    request flags ({@link Features} bits the client wants for this transfer, e.g. compression)
 */
public record Open(String path, Strategy strategy, long flags) implements Frame {

    /** Checks the fields. */
    public Open {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    public FrameType type() {
        return FrameType.OPEN;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.string(path).u8(strategy.wireValue()).i64(flags);
    }

    static Open decode(WireReader in) throws ProtocolException {
        return new Open(in.string("path"), Strategy.fromWire(in.u8()), in.i64());
    }
}
