package org.mpft.plugin.primary;

import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Frame;

/**
 * What a {@link PrimaryTransfer} needs of the session that opened it: the control stream to answer on, and
 * a way to end the session when the transfer fails beyond repair. Called on the connection's event loop.
 */
public interface TransferControl {

    /** Writes {@code frame} on the control stream. */
    void write(Frame frame);

    /** Answers ERROR({@code code}) and ends the session (which closes the transfer). */
    void fail(ErrorCode code, String message);
}
