package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;
import org.mpft.protocol.Meta;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.protocol.Strategy;
import org.mpft.transport.TransportSettings;

/** What a malicious server can make the client hold: streams, and chunks from secondaries awaiting digests. */
class ClientLimitsTest {

    @Test
    void theClientGrantsAWindowOfStreamsNotQuicsDefault() {
        assertThat(FileTransferClient.clientSettings().maxStreams()).isEqualTo(FileTransferClient.MAX_SERVER_STREAMS)
                .isLessThan(TransportSettings.defaults().maxStreams()).isGreaterThanOrEqualTo(256);
    }

    @Test
    void chunksWaitingForDigestsAreBoundedAndDuplicatesDropped() throws Exception {
        int chunk = 4096;
        int count = SecondaryPaths.MAX_WAITING_CHUNKS + 10;
        SecondaryEndpoint secondary = new SecondaryEndpoint("s", "127.0.0.1", 7301, Bytes.of(new byte[32]),
                Bytes.of(new byte[16]));
        Meta meta = new Meta(7, (long) chunk * count, 0, chunk, ChecksumAlgorithm.CRC32C, Strategy.ALTERNATE, 0,
                List.of(secondary));
        ChunkVerifier verifier = new ChunkVerifier(7, meta.plan(), ChecksumAlgorithm.CRC32C, "f", false);
        DownloadRequest request = DownloadRequest.builder("alice", "127.0.0.1", "f", Path.of("/tmp/f"))
                .credentials(new Credentials.Password("pw".toCharArray())).hostKeys((h, sha, by) -> { }).build();
        List<DownloadEvent.ChunkArrived> held = new ArrayList<>();
        try (SecondaryPaths paths = new SecondaryPaths(null, request, meta, e -> { }, () -> verifier)) {
            int waited = 0;
            int dropped = 0;
            for (int i = 0; i < count; i++) {
                DownloadEvent.ChunkArrived arrived = chunk(i, chunk);
                SecondaryPaths.Verdict verdict = paths.verify(arrived, arrived.payload().nioBuffer());
                if (verdict == SecondaryPaths.Verdict.WAIT) {
                    waited++;
                    held.add(arrived);
                } else {
                    assertThat(verdict).isEqualTo(SecondaryPaths.Verdict.DROPPED);
                    dropped++;
                    arrived.payload().release();
                }
            }
            assertThat(waited).isEqualTo(SecondaryPaths.MAX_WAITING_CHUNKS);
            assertThat(dropped).isEqualTo(10);
            DownloadEvent.ChunkArrived again = chunk(0, chunk);
            assertThat(paths.verify(again, again.payload().nioBuffer())).isEqualTo(SecondaryPaths.Verdict.DUPLICATE);
            again.payload().release();
        }
        assertThat(held).allSatisfy(c -> assertThat(c.payload().refCnt()).as("released on close").isZero());
    }

    private static DownloadEvent.ChunkArrived chunk(int index, int length) {
        byte[] bytes = new byte[length];
        bytes[0] = (byte) index;
        // a secondary's chunks carry SHA-256 whatever META's algorithm (CRC-32C here)
        Bytes checksum = Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(bytes)));
        ChunkHeader header = new ChunkHeader(7, index, (long) index * length, length, Encoding.RAW, length,
                ChecksumAlgorithm.SHA256, checksum);
        return new DownloadEvent.ChunkArrived("127.0.0.1:7301", header, Unpooled.wrappedBuffer(bytes), 1,
                new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES));
    }
}
