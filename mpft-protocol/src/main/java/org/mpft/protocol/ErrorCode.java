package org.mpft.protocol;

/**
 * Every error mpft reports, with its wire value (u16 in ERROR, NACK and CHUNK_ERROR frames).
 * Wire values never change once released; new codes get new values.
 */
public enum ErrorCode {
    /** A malformed, truncated, oversized, unknown or out-of-order frame. */
    PROTOCOL_ERROR(1),
    /** No protocol version in common. */
    UNSUPPORTED_VERSION(2),
    /** Unknown user, wrong password or key, or too many failed attempts. */
    AUTHENTICATION_FAILED(3),
    /** The host's access rules refuse the user this file. */
    ACCESS_DENIED(4),
    /** No regular file at that path. */
    FILE_NOT_FOUND(5),
    /** The name is malformed or resolves outside the user's root. */
    INVALID_PATH(6),
    /** The file is larger than the server's configured limit. */
    FILE_TOO_LARGE(7),
    /** A chunk did not arrive in time. */
    CHUNK_TIMEOUT(8),
    /** A chunk's bytes do not match its checksum. */
    CHUNK_CORRUPTION(9),
    /** A server or path is not reachable or died. */
    SERVER_UNAVAILABLE(10),
    /** Not enough disk space for the file. */
    INSUFFICIENT_SPACE(11),
    /** The transfer was cancelled. */
    CANCELLED(12),
    /** A secondary's copy of the file differs from the primary's (size, mtime or content). */
    STALE_FILE(13),
    /** A ticket is forged, expired, replayed or for another transfer, or a chunk was not assigned. */
    INVALID_TICKET(14),
    /** A configured limit (sessions, transfers, streams, bytes in flight) was reached. */
    LIMIT_EXCEEDED(15),
    /** A failure inside the server, not caused by the request. */
    INTERNAL_ERROR(16),
    /** The file changed on the server while it was served, or since the partial download began (kept chunks differ). */
    FILE_CHANGED(17),
    /** A cluster peer did not prove it holds the cluster secret. */
    CLUSTER_AUTH_FAILED(18);

    private final int wireValue;

    ErrorCode(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The value on the wire (u16). */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The code for a wire value.
     *
     * @throws ProtocolException when no code has that value
     */
    public static ErrorCode fromWire(int value) throws ProtocolException {
        for (ErrorCode code : values()) {
            if (code.wireValue == value) {
                return code;
            }
        }
        throw new ProtocolException("unknown error code " + value);
    }
}
