package org.mpft.protocol;

import java.util.Objects;

/**
 * Either way, on any link: a failure. After an ERROR for the whole session ({@code chunk == -1}) the
 * sender closes the stream.
 *
 * @param code    what kind of failure
 * @param message what failed, naming the file, server and chunk where they apply; safe to show the user
 * @param chunk   the chunk concerned, or -1
 */
public record ErrorFrame(ErrorCode code, String message, int chunk) implements Frame {

    /** Checks the fields. */
    public ErrorFrame {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** An error about the whole session or transfer. */
    public static ErrorFrame of(ErrorCode code, String message) {
        return new ErrorFrame(code, message, -1);
    }

    /** The error as an exception. */
    public MpftException toException() {
        return new MpftException(code, message);
    }

    @Override
    public FrameType type() {
        return FrameType.ERROR;
    }

    @Override
    public void encodeBody(WireWriter out) {
        if (chunk < -1) {
            throw new IllegalArgumentException("ERROR: chunk " + chunk + " is neither -1 nor an index");
        }
        out.u16(code.wireValue()).string(message).i32(chunk);
    }

    static ErrorFrame decode(WireReader in) throws ProtocolException {
        ErrorCode code = ErrorCode.fromWire(in.u16());
        String message = in.string("message");
        int chunk = in.i32();
        if (chunk < -1) {
            throw new ProtocolException("ERROR: chunk " + chunk + " is neither -1 nor an index");
        }
        return new ErrorFrame(code, message, chunk);
    }
}
