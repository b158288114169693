package org.mpft.client;

import java.nio.ByteBuffer;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Checks chunks against the transfer's META: a header must name this transfer and a chunk of the plan
 * with its exact offset and length, the raw encoding and META's checksum algorithm (SHA-256 for chunks from
 * secondaries, {@link #forSecondaries()}); a payload must match its checksum. Immutable and thread-safe.
 */
final class ChunkVerifier {

    private final long transferId;
    private final ChunkPlan plan;
    private final int chunkCount;
    private final ChecksumAlgorithm algorithm;
    private final String file;
    private final boolean compression;

    /**
     * @param transferId  the transfer from META
     * @param plan        the chunk plan from META
     * @param algorithm   the checksum algorithm from META
     * @param file        the remote path, for messages
     * @param compression true when META enabled COMPRESSION: compressed encodings are accepted, with a payload
     *                    shorter than the chunk
     */
    ChunkVerifier(long transferId, ChunkPlan plan, ChecksumAlgorithm algorithm, String file, boolean compression) {
        this.compression = compression;
        this.transferId = transferId;
        this.plan = plan;
        this.chunkCount = plan.chunkCount();
        this.algorithm = algorithm;
        this.file = file;
    }

    /**
     * The verifier of chunks from secondaries: the same plan, but SHA-256 whatever META's algorithm. A
     * secondary's chunk must equal the primary's SHA-256 digest (CHUNK_DIGESTS); with a CRC a malicious
     * secondary could forge bytes that pass.
     */
    ChunkVerifier forSecondaries() {
        return algorithm == ChecksumAlgorithm.SHA256 ? this
                : new ChunkVerifier(transferId, plan, ChecksumAlgorithm.SHA256, file, compression);
    }

    /**
     * Checks a chunk header before any payload byte is buffered.
     *
     * @throws MpftException PROTOCOL_ERROR naming the server, the file and the chunk
     */
    void checkHeader(ChunkHeader header, String server) throws MpftException {
        String problem = null;
        if (header.transferId() != transferId) {
            problem = "is for transfer " + header.transferId() + ", not " + transferId;
        } else if (header.chunk() >= chunkCount) {
            problem = "is beyond the last chunk (" + chunkCount + " chunks)";
        } else if (header.offset() != plan.offset(header.chunk())) {
            problem = "has offset " + header.offset() + ", the plan says " + plan.offset(header.chunk());
        } else if (header.length() != plan.length(header.chunk())) {
            problem = "has length " + header.length() + ", the plan says " + plan.length(header.chunk());
        } else if (header.encoding() != Encoding.RAW && !compression) {
            problem = "uses encoding " + header.encoding() + ", which was not negotiated";
        } else if (header.encoding() != Encoding.RAW && header.encodedLength() >= header.length()) {
            problem = "has a " + header.encoding() + " payload of " + header.encodedLength()
                    + " bytes, not shorter than the chunk";
        } else if (header.checksumAlgorithm() != algorithm) {
            problem = "uses checksum " + header.checksumAlgorithm() + ", META said " + algorithm;
        }
        if (problem != null) {
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, server + " sent chunk " + header.chunk() + " of " + file
                    + " with a header that " + problem);
        }
    }

    /** True when the payload (position to limit) matches the header's checksum. */
    boolean verify(ChunkHeader header, ByteBuffer payload) {
        return payload.remaining() == header.length()
                && algorithm.verify(payload, header.checksum().toByteArray());
    }

    /** The chunk plan. */
    ChunkPlan plan() {
        return plan;
    }
}
