package org.mpft.protocol;

/** Bytes that are not a valid mpft frame or chunk header: truncated, oversized, unknown or malformed. */
public final class ProtocolException extends MpftException {

    private static final long serialVersionUID = 1L;

    /** @param message what was wrong with the bytes */
    public ProtocolException(String message) {
        super(ErrorCode.PROTOCOL_ERROR, message);
    }
}
