package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkDigests;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.protocol.Strategy;

/**
 * With {@code mpft.checksum=crc32c}, a secondary that forges a chunk with the CRC-32C of the real one (easy: the
 * CRC is linear, four bytes fix it) must not get it written: chunks from secondaries are SHA-256, checked against
 * the primary's SHA-256 digests.
 */
class SecondaryChecksumTest {

    private static final int CHUNK = 4096;
    private static final String SECONDARY = "127.0.0.1:7301";

    private final Meta meta = new Meta(7, 4L * CHUNK, 0, CHUNK, ChecksumAlgorithm.CRC32C, Strategy.ALTERNATE, 0,
            List.of(new SecondaryEndpoint("s", "127.0.0.1", 7301, Bytes.of(new byte[32]), Bytes.of(new byte[16]))));
    private final ChunkVerifier verifier = new ChunkVerifier(7, meta.plan(), ChecksumAlgorithm.CRC32C, "f", false);
    private final DownloadRequest request = DownloadRequest.builder("alice", "127.0.0.1", "f", Path.of("/tmp/f"))
            .credentials(new Credentials.Password("pw".toCharArray())).hostKeys((h, sha, by) -> { }).build();

    @Test
    void theForgeryReallyPassesCrc32c() {
        byte[] real = random(1);
        byte[] forged = forgeCrc32c(real);
        assertThat(forged).isNotEqualTo(real);
        assertThat(ChecksumAlgorithm.CRC32C.compute(ByteBuffer.wrap(forged)))
                .isEqualTo(ChecksumAlgorithm.CRC32C.compute(ByteBuffer.wrap(real)));
    }

    @Test
    void aChunkFromASecondaryMustCarrySha256WhateverMetaSays() throws Exception {
        byte[] real = random(2);
        ChunkHeader crc = header(0, ChecksumAlgorithm.CRC32C, real);
        assertThatThrownBy(() -> verifier.forSecondaries().checkHeader(crc, SECONDARY))
                .isInstanceOfSatisfying(MpftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR))
                .hasMessageContaining("uses checksum CRC32C, META said SHA256");
        verifier.forSecondaries().checkHeader(header(0, ChecksumAlgorithm.SHA256, real), SECONDARY);
        // the primary's own chunks keep META's algorithm
        verifier.checkHeader(crc, "127.0.0.1:7300");
    }

    @Test
    void aForgedChunkWithTheRealCrcIsNeverGoodAndTheRealOneIs() throws Exception {
        byte[] real = random(3);
        byte[] forged = forgeCrc32c(real);
        try (SecondaryPaths paths = new SecondaryPaths(null, request, meta, e -> { }, () -> verifier)) {
            // the primary's digests: SHA-256 of its own copy, although the transfer's checksum is CRC-32C
            paths.handle(new DownloadEvent.ControlFrame(new ChunkDigests(7, 0,
                    Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(real))))), c -> { });
            // forged bytes, with the CRC-32C header that matches them and the real chunk
            assertThat(verdict(paths, forged, ChecksumAlgorithm.CRC32C)).isEqualTo(SecondaryPaths.Verdict.CORRUPT);
            // forged bytes, with their own SHA-256: the primary's digest differs
            assertThat(verdict(paths, forged, ChecksumAlgorithm.SHA256)).isEqualTo(SecondaryPaths.Verdict.STALE);
            assertThat(verdict(paths, real, ChecksumAlgorithm.SHA256)).isEqualTo(SecondaryPaths.Verdict.GOOD);
        }
    }

    @Test
    void digestsInMetasCrcLengthAreRefused() throws Exception {
        try (SecondaryPaths paths = new SecondaryPaths(null, request, meta, e -> { }, () -> verifier)) {
            List<DownloadEvent.ChunkArrived> ready = new ArrayList<>();
            assertThatThrownBy(() -> paths.handle(new DownloadEvent.ControlFrame(new ChunkDigests(7, 0,
                    Bytes.of(new byte[4 * 3]))), ready::add))
                    .isInstanceOfSatisfying(MpftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
        }
    }

    private static SecondaryPaths.Verdict verdict(SecondaryPaths paths, byte[] bytes, ChecksumAlgorithm algorithm) {
        DownloadEvent.ChunkArrived arrived = new DownloadEvent.ChunkArrived(SECONDARY, header(0, algorithm, bytes),
                Unpooled.wrappedBuffer(bytes), 1, new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES));
        try {
            return paths.verify(arrived, arrived.payload().nioBuffer());
        } finally {
            arrived.payload().release();
        }
    }

    private static ChunkHeader header(int index, ChecksumAlgorithm algorithm, byte[] bytes) {
        return new ChunkHeader(7, index, (long) index * CHUNK, CHUNK, Encoding.RAW, CHUNK, algorithm,
                Bytes.of(algorithm.compute(ByteBuffer.wrap(bytes))));
    }

    private static byte[] random(long seed) {
        byte[] bytes = new byte[CHUNK];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * {@code real} with its first half replaced by other bytes and four bytes after it chosen so that the CRC-32C
     * is the real one's: for messages of one length the CRC is affine over GF(2), so the 32 bits of the patch
     * are the solution of a 32 x 32 linear system.
     */
    static byte[] forgeCrc32c(byte[] real) {
        byte[] forged = real.clone();
        for (int i = 0; i < forged.length / 2; i++) {
            forged[i] = (byte) ~forged[i];
        }
        int patch = forged.length / 2;
        int base = crc(forged);
        int target = crc(real) ^ base;
        int[] columns = new int[32];
        for (int bit = 0; bit < 32; bit++) {
            forged[patch + bit / 8] ^= (byte) (1 << (bit % 8));
            columns[bit] = crc(forged) ^ base;
            forged[patch + bit / 8] ^= (byte) (1 << (bit % 8));
        }
        // Gaussian elimination: rows are the CRC's bits, unknowns the patch's bits
        int[] rows = new int[32]; // bit j of rows[i]: column j's bit i
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                rows[i] |= ((columns[j] >>> i) & 1) << j;
            }
        }
        int[] rhs = new int[32];
        for (int i = 0; i < 32; i++) {
            rhs[i] = (target >>> i) & 1;
        }
        int[] pivotOf = new int[32];
        java.util.Arrays.fill(pivotOf, -1);
        int row = 0;
        for (int col = 0; col < 32 && row < 32; col++) {
            int found = -1;
            for (int r = row; r < 32; r++) {
                if (((rows[r] >>> col) & 1) != 0) {
                    found = r;
                    break;
                }
            }
            if (found < 0) {
                continue;
            }
            int t = rows[found];
            rows[found] = rows[row];
            rows[row] = t;
            t = rhs[found];
            rhs[found] = rhs[row];
            rhs[row] = t;
            for (int r = 0; r < 32; r++) {
                if (r != row && ((rows[r] >>> col) & 1) != 0) {
                    rows[r] ^= rows[row];
                    rhs[r] ^= rhs[row];
                }
            }
            pivotOf[row] = col;
            row++;
        }
        for (int r = 0; r < row; r++) {
            if (rhs[r] != 0) {
                int bit = pivotOf[r];
                forged[patch + bit / 8] ^= (byte) (1 << (bit % 8));
            }
        }
        return forged;
    }

    private static int crc(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
