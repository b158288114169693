package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** Kept chunks of a resumed download checked against the server's SHA-256 digests, on a real part file. */
class KeptChunkCheckTest {

    private static final int CHUNK = 4096;

    @TempDir
    Path dir;

    private final List<DownloadEvent> events = new ArrayList<>();
    private final byte[] server = new byte[8 * CHUNK + 100];
    private final ChunkPlan plan = new ChunkPlan(server.length, CHUNK);

    KeptChunkCheckTest() {
        new Random(3).nextBytes(server);
    }

    private FileChannel part(byte[] content) throws Exception {
        Path file = Files.write(dir.resolve("out.bin.mpft-part"), content);
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private ChunkDigests digests(int from, int to) {
        byte[] all = new byte[(to - from) * 32];
        for (int chunk = from; chunk < to; chunk++) {
            byte[] d = ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(server, (int) plan.offset(chunk),
                    plan.length(chunk)));
            System.arraycopy(d, 0, all, (chunk - from) * 32, 32);
        }
        return new ChunkDigests(1, from, Bytes.of(all));
    }

    private static BitSet kept(int... chunks) {
        BitSet set = new BitSet();
        for (int c : chunks) {
            set.set(c);
        }
        return set;
    }

    @Test
    void keptChunksThatAreTheServersPass() throws Exception {
        try (FileChannel part = part(server);
             KeptChunkCheck check = new KeptChunkCheck(part::read, plan, kept(0, 1, 8), "data/f.bin", events::add)) {
            assertThat(check.awaitingDigests()).isTrue();
            check.onDigests(digests(0, 4)); // 2 and 3 are not kept: their digests are ignored
            assertThat(check.awaitingDigests()).isTrue();
            check.onDigests(digests(8, 9)); // the last, shorter chunk
            assertThat(check.awaitingDigests()).isFalse();
            check.finish();
        }
        assertThat(events).isEmpty();
    }

    @Test
    void aKeptChunkThatDiffersFromTheServersFailsAsFileChanged() throws Exception {
        byte[] local = server.clone();
        local[3 * CHUNK + 17] ^= 1; // the server's file changed there since this chunk was kept
        try (FileChannel part = part(local);
             KeptChunkCheck check = new KeptChunkCheck(part::read, plan, kept(0, 3), "data/f.bin", events::add)) {
            check.onDigests(digests(0, 8));
            assertThat(check.awaitingDigests()).isFalse();
            assertThatThrownBy(check::finish).isInstanceOfSatisfying(MpftException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FILE_CHANGED);
                assertThat(e.getMessage()).contains("kept chunk 3 of data/f.bin differs from the server's copy");
            });
        }
        assertThat(events).singleElement().isInstanceOfSatisfying(DownloadEvent.Failed.class,
                f -> assertThat(f.error().code()).isEqualTo(ErrorCode.FILE_CHANGED));
    }

    @Test
    void nothingKeptWaitsForNothing() throws Exception {
        try (FileChannel part = part(new byte[0]);
             KeptChunkCheck check = new KeptChunkCheck(part::read, plan, new BitSet(), "data/f.bin", events::add)) {
            assertThat(check.awaitingDigests()).isFalse();
            check.onDigests(digests(0, 2));
            check.finish();
        }
        assertThat(events).isEmpty();
    }
}
