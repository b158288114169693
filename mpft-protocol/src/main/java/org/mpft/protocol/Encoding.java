package org.mpft.protocol;

/** How a chunk's bytes are encoded on its stream, with its wire value. The checksum covers the original bytes. */
public enum Encoding {
    /** The bytes as they are in the file. */
    RAW(0),
    /** JDK Deflater (raw deflate, no zlib header). */
    DEFLATE(1),
    /** One Zstandard frame (RFC 8878) holding the chunk's length in its header; see {@link ChunkCodec}. */
    ZSTD(2);

    private final int wireValue;

    Encoding(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The value on the wire (u8). */
    public int wireValue() {
        return wireValue;
    }

    /**
     * The encoding for a wire value.
     *
     * @throws ProtocolException when no encoding has that value
     */
    public static Encoding fromWire(int value) throws ProtocolException {
        for (Encoding encoding : values()) {
            if (encoding.wireValue == value) {
                return encoding;
            }
        }
        throw new ProtocolException("unknown chunk encoding " + value);
    }
}
