package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to primary: every chunk arrived and the file is in place.
 *
 * @param transferId the transfer
 * @param sha256     the SHA-256 of the whole file, as the client computed it (for the server's log)
 */
public record Done(long transferId, Bytes sha256) implements Frame {

    /** Checks the fields. */
    public Done {
        Objects.requireNonNull(sha256, "sha256");
    }

    @Override
    public FrameType type() {
        return FrameType.DONE;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).shortBytes(sha256.internal(), 64, "sha256");
    }

    static Done decode(WireReader in) throws ProtocolException {
        return new Done(in.i64(), Bytes.wrap(in.shortBytes(64, "sha256")));
    }
}
