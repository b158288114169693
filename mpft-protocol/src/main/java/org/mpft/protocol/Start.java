package org.mpft.protocol;

import java.util.Objects;

/**
 * Client to primary, after {@link Meta}: start sending, skipping the chunks the client already holds (a
 * resumed download).
 *
 * @param transferId the transfer
 * @param have       bitmap of chunks already held: bit {@code i % 8} of byte {@code i / 8} for chunk {@code i};
 *                   empty for a fresh download
 */
public record Start(long transferId, Bytes have) implements Frame {

    /** Checks the fields. */
    public Start {
        Objects.requireNonNull(have, "have");
    }

    /** True when the bitmap says chunk {@code index} is held. */
    public boolean holds(int index) {
        byte[] bits = have.internal();
        int at = index >>> 3;
        return at < bits.length && (bits[at] & (1 << (index & 7))) != 0;
    }

    @Override
    public FrameType type() {
        return FrameType.START;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).longBytes(have.internal(), ChunkPlan.MAX_CHUNKS / 8, "have");
    }

    static Start decode(WireReader in) throws ProtocolException {
        return new Start(in.i64(), Bytes.wrap(in.longBytes(ChunkPlan.MAX_CHUNKS / 8, "have")));
    }
}
