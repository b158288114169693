package org.mpft.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The header at the start of every chunk stream (a server-opened unidirectional QUIC stream), followed by
 * {@link #encodedLength()} bytes of payload:
 * {@code u16 headerLength | u8 version | i64 transferId | i32 chunk | i64 offset | i32 length |
 * u8 encoding | i32 encodedLength | u8 checksumAlgorithm | checksum}.
 * {@code headerLength} counts the bytes after itself.
 *
 * @param transferId        the transfer
 * @param chunk             the chunk's index (from 0)
 * @param offset            the chunk's offset in the file, bytes
 * @param length            the chunk's original length, bytes
 * @param encoding          how the payload is encoded
 * @param encodedLength     the payload's length on the stream, bytes
 * @param checksumAlgorithm how the original bytes are checked
 * @param checksum          the checksum of the original bytes, computed by the sender from what it read
 */
public record ChunkHeader(long transferId, int chunk, long offset, int length, Encoding encoding, int encodedLength,
                          ChecksumAlgorithm checksumAlgorithm, Bytes checksum) {

    /** The version of the header layout. */
    public static final int VERSION = 1;

    /** The most bytes a header can take, including its length prefix. */
    public static final int MAX_ENCODED_LENGTH = 2 + 1 + 8 + 4 + 8 + 4 + 1 + 4 + 1 + 64;

    /**
     * The longest payload on a chunk stream, bytes: {@link ChunkPlan#MAX_CHUNK_SIZE} plus room for an
     * encoding that grows incompressible data (1/64 + 1 KiB).
     */
    public static final int MAX_PAYLOAD_LENGTH = ChunkPlan.MAX_CHUNK_SIZE + ChunkPlan.MAX_CHUNK_SIZE / 64 + 1024;

    /** Checks the fields. */
    public ChunkHeader {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(checksumAlgorithm, "checksumAlgorithm");
        Objects.requireNonNull(checksum, "checksum");
        if (chunk < 0 || offset < 0 || length < 0 || encodedLength < 0) {
            throw new IllegalArgumentException("negative chunk index, offset or length");
        }
        if (checksum.length() != checksumAlgorithm.length()) {
            throw new IllegalArgumentException(checksumAlgorithm + " checksum must be " + checksumAlgorithm.length()
                    + " bytes, was " + checksum.length());
        }
    }

    /**
     * Writes the header into {@code out} (which must have {@link #MAX_ENCODED_LENGTH} bytes free),
     * big-endian whatever {@code out}'s byte order.
     *
     * @throws IllegalArgumentException when a length is one that {@link #decodeNext} refuses
     */
    public void encode(ByteBuffer out) {
        if (encoding == Encoding.RAW && encodedLength != length) {
            throw new IllegalArgumentException("chunk " + chunk + ": raw payload of " + encodedLength
                    + " bytes for a chunk of " + length);
        }
        WireWriter body = new WireWriter();
        body.u8(VERSION).i64(transferId).i32(chunk).i64(offset).length(length, ChunkPlan.MAX_CHUNK_SIZE, "chunk")
                .u8(encoding.wireValue()).length(encodedLength, MAX_PAYLOAD_LENGTH, "payload")
                .u8(checksumAlgorithm.wireValue()).raw(checksum.internal());
        WireWriter header = new WireWriter().u16(body.size());
        header.writeTo(out);
        body.writeTo(out);
    }

    /** The header's bytes, with its length prefix. */
    public ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(MAX_ENCODED_LENGTH);
        encode(out);
        return out.flip();
    }

    /**
     * Decodes a header from the front of {@code in} if it holds a complete one, moving its position past
     * it; returns null (position untouched) when more bytes are needed.
     *
     * @throws ProtocolException when the bytes are not a valid header, or a length exceeds
     *                           {@link ChunkPlan#MAX_CHUNK_SIZE}
     */
    public static ChunkHeader decodeNext(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < 2) {
            return null;
        }
        // big-endian whatever the caller's buffer order (a slice is always big-endian)
        int headerLength = in.slice().getShort(0) & 0xFFFF;
        if (headerLength > MAX_ENCODED_LENGTH - 2 || headerLength < 1) {
            throw new ProtocolException("chunk header length " + headerLength + " out of range");
        }
        if (in.remaining() < 2 + headerLength) {
            return null;
        }
        ByteBuffer body = in.slice();
        body.position(2).limit(2 + headerLength);
        in.position(in.position() + 2 + headerLength);
        WireReader reader = new WireReader(body.slice(), "chunk header");
        int version = reader.u8();
        if (version != VERSION) {
            throw new ProtocolException("chunk header version " + version + " unsupported (expected " + VERSION + ")");
        }
        long transferId = reader.i64();
        int chunk = reader.nonNegativeInt("chunk");
        long offset = reader.nonNegative("offset");
        int length = reader.length(ChunkPlan.MAX_CHUNK_SIZE, "chunk");
        Encoding encoding = Encoding.fromWire(reader.u8());
        int encodedLength = reader.length(MAX_PAYLOAD_LENGTH, "payload");
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromWire(reader.u8());
        Bytes checksum = Bytes.wrap(reader.raw(algorithm.length(), "checksum"));
        reader.end();
        if (encoding == Encoding.RAW && encodedLength != length) {
            throw new ProtocolException("chunk " + chunk + ": raw payload of " + encodedLength
                    + " bytes for a chunk of " + length);
        }
        return new ChunkHeader(transferId, chunk, offset, length, encoding, encodedLength, algorithm, checksum);
    }
}
