package org.mpft.protocol;

import java.util.Objects;

/**
 * Primary to secondary: a transfer this secondary will serve chunks of. The secondary checks the user's
 * rights through its own host and that its copy has the same size and mtime, then answers
 * {@link TransferRegistered} or {@link ErrorFrame}.
 *
 * @param transferId        the transfer
 * @param user              the user the primary authenticated
 * @param path              the file, relative to the user's root
 * @param size              the primary's file size in bytes
 * @param mtimeMillis       the primary's file mtime, milliseconds since the epoch
 * @param chunkSize         the chunk size in bytes
 * @param checksumAlgorithm how chunks are checked
 * @param ticketId          the id of the ticket the client will present ({@link Attach})
 * @param expiresAtMillis   when the ticket stops being accepted, milliseconds since the epoch
 * @param compression       how the secondary compresses the chunks it sends ({@link ChunkCodec}, only where it pays),
 *                          as the primary does for this transfer; {@link Encoding#RAW}: never (the client did not
 *                          negotiate COMPRESSION)
 */
public record RegisterTransfer(long transferId, String user, String path, long size, long mtimeMillis, int chunkSize,
                               ChecksumAlgorithm checksumAlgorithm, Bytes ticketId, long expiresAtMillis,
                               Encoding compression)
        implements Frame {

    /** Checks the fields. */
    public RegisterTransfer {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(checksumAlgorithm, "checksumAlgorithm");
        Objects.requireNonNull(ticketId, "ticketId");
    }

    /** A registration whose chunks travel {@link Encoding#RAW} (no compression). */
    public RegisterTransfer(long transferId, String user, String path, long size, long mtimeMillis, int chunkSize,
                            ChecksumAlgorithm checksumAlgorithm, Bytes ticketId, long expiresAtMillis) {
        this(transferId, user, path, size, mtimeMillis, chunkSize, checksumAlgorithm, ticketId, expiresAtMillis,
                Encoding.RAW);
    }

    /** The chunk plan of the transfer. */
    public ChunkPlan plan() {
        return new ChunkPlan(size, chunkSize);
    }

    @Override
    public FrameType type() {
        return FrameType.REGISTER_TRANSFER;
    }

    @Override
    public void encodeBody(WireWriter out) {
        plan(); // refuses, before writing, a negative size or a chunk size out of range
        out.i64(transferId).string(user).string(path).i64(size).i64(mtimeMillis).i32(chunkSize)
                .u8(checksumAlgorithm.wireValue()).shortBytes(ticketId.internal(), 64, "ticketId")
                .i64(expiresAtMillis).u8(compression.wireValue());
    }

    static RegisterTransfer decode(WireReader in) throws ProtocolException {
        long transferId = in.i64();
        String user = in.string("user");
        String path = in.string("path");
        long size = in.nonNegative("size");
        long mtime = in.i64();
        int chunkSize = in.i32();
        if (chunkSize < ChunkPlan.MIN_CHUNK_SIZE || chunkSize > ChunkPlan.MAX_CHUNK_SIZE) {
            throw new ProtocolException("REGISTER_TRANSFER: chunk size " + chunkSize + " out of range");
        }
        return new RegisterTransfer(transferId, user, path, size, mtime, chunkSize,
                ChecksumAlgorithm.fromWire(in.u8()), Bytes.wrap(in.shortBytes(64, "ticketId")), in.i64(),
                Encoding.fromWire(in.u8()));
    }
}
