package org.mpft.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.BitSet;
import java.util.zip.CRC32C;
import org.mpft.protocol.ChunkPlan;

/**
 * Checks the chunks a partial download kept before a resume trusts them: each held chunk is read back from
 * the part file and its CRC-32C compared with the one recorded when it was written ({@link StateFile}).
 * A chunk that differs (damaged on disk, edited between two runs) is dropped from the held set, so it is
 * fetched again like any missing chunk. Reads one chunk at a time into one buffer of the plan's chunk size.
 */
final class KeptChunks {

    private KeptChunks() {
    }

    /** The bytes of {@code plan} that {@code held} does not cover: what a download still has to fetch. */
    static long missingBytes(ChunkPlan plan, BitSet held) {
        long missing = plan.fileSize();
        for (int i = held.nextSetBit(0); i >= 0; i = held.nextSetBit(i + 1)) {
            missing -= plan.length(i);
        }
        return missing;
    }

    /** The CRC-32C of a chunk's bytes (position to limit; the buffer's position is left alone). */
    static int checksum(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }

    /**
     * Clears from {@code held} every chunk whose bytes in {@code part} no longer match {@code checksums}.
     *
     * @return the chunks cleared
     */
    static int verify(FileChannel part, ChunkPlan plan, BitSet held, int[] checksums) throws IOException {
        if (held.isEmpty()) {
            return 0;
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(plan.chunkSize());
        int failed = 0;
        for (int i = held.nextSetBit(0); i >= 0; i = held.nextSetBit(i + 1)) {
            buffer.clear().limit(plan.length(i));
            long position = plan.offset(i);
            while (buffer.hasRemaining()) {
                int n = part.read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
            buffer.flip();
            if (buffer.remaining() != plan.length(i) || checksum(buffer) != checksums[i]) {
                held.clear(i);
                failed++;
            }
        }
        return failed;
    }
}
