package org.mpft.protocol;

import java.util.Objects;

/**
 * An mpft failure carrying its {@link ErrorCode}. The message names the file, server and chunk where
 * they apply; the client maps the code to its exit code in one place.
 */
public class MpftException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * @param code    what kind of failure
     * @param message what failed, naming the file, server and chunk where they apply
     */
    public MpftException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code    what kind of failure
     * @param message what failed, naming the file, server and chunk where they apply
     * @param cause   the underlying failure
     */
    public MpftException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** What kind of failure this is. */
    public ErrorCode code() {
        return code;
    }
}
