package org.mpft.protocol;

/**
 * Primary to secondary: send this chunk of a registered transfer to the client attached to it.
 *
 * @param transferId the transfer
 * @param chunk      the chunk's index (from 0)
 * @param offset     the chunk's offset in the file, bytes
 * @param length     the chunk's length, bytes
 */
public record SendChunk(long transferId, int chunk, long offset, int length) implements Frame {

    @Override
    public FrameType type() {
        return FrameType.SEND_CHUNK;
    }

    @Override
    public void encodeBody(WireWriter out) {
        out.i64(transferId).nonNegativeInt(chunk, "chunk").nonNegative(offset, "offset")
                .length(length, ChunkPlan.MAX_CHUNK_SIZE, "chunk");
    }

    static SendChunk decode(WireReader in) throws ProtocolException {
        return new SendChunk(in.i64(), in.nonNegativeInt("chunk"), in.nonNegative("offset"),
                in.length(ChunkPlan.MAX_CHUNK_SIZE, "chunk"));
    }
}
