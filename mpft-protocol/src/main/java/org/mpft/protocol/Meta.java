package org.mpft.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Primary to client, answer to {@link Open}: the file's identity, how it is cut into chunks, how chunks
 * are checked, and the secondaries to attach to.
 *
 * @param transferId        the transfer's id, unique on this primary
 * @param size              the file's size in bytes
 * @param mtimeMillis       the file's modification time, milliseconds since the epoch
 * @param chunkSize         the chunk size in bytes ({@link ChunkPlan})
 * @param checksumAlgorithm how every chunk is checked
 * @param strategy          the strategy the primary uses for this transfer (never SERVER_DEFAULT)
 * @param features          feature bits enabled for this transfer
 * @param secondaries       the secondaries serving this transfer besides the primary, at most {@link #MAX_SECONDARIES}
 */
public record Meta(long transferId, long size, long mtimeMillis, int chunkSize, ChecksumAlgorithm checksumAlgorithm,
                   Strategy strategy, long features, List<SecondaryEndpoint> secondaries) implements Frame {

    /** The most secondaries one META lists. */
    public static final int MAX_SECONDARIES = 64;

    /** Checks the fields and freezes the list. */
    public Meta {
        Objects.requireNonNull(checksumAlgorithm, "checksumAlgorithm");
        Objects.requireNonNull(strategy, "strategy");
        secondaries = List.copyOf(secondaries);
        if (secondaries.size() > MAX_SECONDARIES) {
            throw new IllegalArgumentException("too many secondaries: " + secondaries.size());
        }
    }

    /** The chunk plan this META describes. */
    public ChunkPlan plan() {
        return new ChunkPlan(size, chunkSize);
    }

    @Override
    public FrameType type() {
        return FrameType.META;
    }

    @Override
    public void encodeBody(WireWriter out) {
        // refuses, before writing, a META its receiver would refuse (negative size, chunk size or count)
        if (plan().chunkCountLong() > ChunkPlan.MAX_CHUNKS) {
            throw new IllegalArgumentException("META: file of " + size + " bytes has more than "
                    + ChunkPlan.MAX_CHUNKS + " chunks of " + chunkSize + " bytes");
        }
        out.i64(transferId).i64(size).i64(mtimeMillis).i32(chunkSize).u8(checksumAlgorithm.wireValue())
                .u8(strategy.wireValue()).i64(features).u8(secondaries.size());
        for (SecondaryEndpoint secondary : secondaries) {
            secondary.encode(out);
        }
    }

    static Meta decode(WireReader in) throws ProtocolException {
        long transferId = in.i64();
        long size = in.nonNegative("size");
        long mtime = in.i64();
        int chunkSize = in.i32();
        if (chunkSize < ChunkPlan.MIN_CHUNK_SIZE || chunkSize > ChunkPlan.MAX_CHUNK_SIZE) {
            throw new ProtocolException("META: chunk size " + chunkSize + " outside ["
                    + ChunkPlan.MIN_CHUNK_SIZE + ", " + ChunkPlan.MAX_CHUNK_SIZE + "]");
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromWire(in.u8());
        Strategy strategy = Strategy.fromWire(in.u8());
        long features = in.i64();
        int count = in.u8();
        if (count > MAX_SECONDARIES) {
            throw new ProtocolException("META: " + count + " secondaries, over " + MAX_SECONDARIES);
        }
        List<SecondaryEndpoint> secondaries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            secondaries.add(SecondaryEndpoint.decode(in));
        }
        if (new ChunkPlan(size, chunkSize).chunkCountLong() > ChunkPlan.MAX_CHUNKS) {
            throw new ProtocolException("META: file of " + size + " bytes has more than " + ChunkPlan.MAX_CHUNKS
                    + " chunks of " + chunkSize + " bytes");
        }
        return new Meta(transferId, size, mtime, chunkSize, algorithm, strategy, features, secondaries);
    }
}
