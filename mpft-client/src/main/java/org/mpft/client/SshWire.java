package org.mpft.client;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/** The SSH wire encoding's {@code string} (RFC 4251 §5: a 32-bit length, then the bytes), as the agent uses it. */
final class SshWire {

    private SshWire() {
    }

    /**
     * Reads one {@code string}.
     *
     * @throws IOException when the length does not fit in what is left
     */
    static byte[] bytes(ByteBuffer in) throws IOException {
        try {
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IOException("malformed ssh-agent message (a length of " + length + " with "
                        + in.remaining() + " bytes left)");
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            return bytes;
        } catch (BufferUnderflowException e) {
            throw new IOException("truncated ssh-agent message", e);
        }
    }

    /** Writes one {@code string}. */
    static void write(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
