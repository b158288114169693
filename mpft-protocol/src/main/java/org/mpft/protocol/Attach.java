package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to secondary, instead of a login: the ticket the primary gave in {@link Meta} for this
 * secondary. The secondary checks it and the user's rights through its own host.
 *
 * @param ticket the opaque ticket, as received
 */
public record Attach(Bytes ticket) implements Frame {

    /** Checks the fields. */
    public Attach {
        Objects.requireNonNull(ticket, "ticket");
    }

    @Override
    public FrameType type() {
        return FrameType.ATTACH;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.shortBytes(ticket.internal(), 4096, "ticket");
    }

    static Attach decode(WireReader in) throws ProtocolException {
        return new Attach(Bytes.wrap(in.shortBytes(4096, "ticket")));
    }
}
