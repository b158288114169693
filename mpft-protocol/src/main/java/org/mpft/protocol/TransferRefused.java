package org.mpft.protocol;

import java.util.Objects;

/**
 * Secondary to primary, answer to {@link RegisterTransfer} instead of {@link TransferRegistered}: this
 * secondary will not serve the transfer (its copy is stale, the user is unknown or may not read the file
 * here, a limit). The link stays up; the primary leaves the secondary out of that transfer's META.
 *
 * @param transferId the transfer
 * @param code       why, e.g. {@link ErrorCode#STALE_FILE} or {@link ErrorCode#ACCESS_DENIED}
 * @param message    details, naming the secondary and the file
 */
public record TransferRefused(long transferId, ErrorCode code, String message) implements Frame {

    /** Checks the fields. */
    public TransferRefused {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public FrameType type() {
        return FrameType.TRANSFER_REFUSED;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).u16(code.wireValue()).string(message);
    }

    static TransferRefused decode(WireReader in) throws ProtocolException {
        return new TransferRefused(in.i64(), ErrorCode.fromWire(in.u16()), in.string("message"));
    }
}
