package org.mpft.plugin.primary;

import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Frame;

/**
 * What a {@link PrimaryTransfer} needs of the session that opened it: the stream of its OPEN to answer on (the
 * control stream or a transfer stream), and a way to end the session when the transfer fails beyond repair.
 * Called on the connection's event loop.
 */
public interface TransferControl {

    /** Writes {@code frame} on the stream of the transfer's OPEN. */
    void write(Frame frame);

    /** Answers ERROR({@code code}) and ends the session (which closes the transfer). */
    void fail(ErrorCode code, String message);
}
