package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mpft.client.BatchFile;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileOutcome;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

class BatchJsonTest {

    private static final BatchFile FILE = new BatchFile("logs/a.gz", Path.of("/o/a.gz"), 2048, 5, 0644);

    @Test
    void aFetchedFileHasItsBytesAndDigest() {
        DownloadResult result = new DownloadResult(Path.of("/o/a.gz"), 2048, "ab".repeat(32), 10, 1, 0, 0, List.of());
        assertThat(BatchJson.file(new FileOutcome(FILE, result, null, false))).isEqualTo(
                "{\"path\":\"logs/a.gz\",\"file\":\"/o/a.gz\",\"status\":\"done\",\"bytes\":2048,\"sha256\":\""
                        + "ab".repeat(32) + "\"}");
    }

    @Test
    void aSkippedFileHasItsListedSize() {
        assertThat(BatchJson.file(new FileOutcome(FILE, null, null, true))).isEqualTo(
                "{\"path\":\"logs/a.gz\",\"file\":\"/o/a.gz\",\"status\":\"skipped\",\"bytes\":2048,\"sha256\":null}");
    }

    @Test
    void failuresAndCancellationsCarryTheirExitCode() {
        assertThat(BatchJson.file(new FileOutcome(FILE, null,
                new MpftException(ErrorCode.ACCESS_DENIED, "access denied: \"logs/a.gz\""), false))).isEqualTo(
                "{\"path\":\"logs/a.gz\",\"file\":\"/o/a.gz\",\"status\":\"failed\",\"bytes\":0,\"sha256\":null,"
                        + "\"error\":{\"exitCode\":5,\"name\":\"access-denied\",\"message\":\"access denied: \\\"logs/a.gz\\\"\"}}");
        assertThat(BatchJson.file(new FileOutcome(FILE, null, new MpftException(ErrorCode.CANCELLED, "stopped"), false)))
                .contains("\"status\":\"cancelled\"").contains("\"exitCode\":130");
        assertThat(BatchJson.refused("x/*.zip", new MpftException(ErrorCode.FILE_NOT_FOUND, "no match for 'x/*.zip'")))
                .isEqualTo("{\"path\":\"x/*.zip\",\"file\":null,\"status\":\"failed\",\"bytes\":0,\"sha256\":null,"
                        + "\"error\":{\"exitCode\":4,\"name\":\"not-found\",\"message\":\"no match for 'x/*.zip'\"}}");
    }

    @Test
    void theTotal() {
        assertThat(BatchJson.total(4, 1, 1, 2, 1024, 812, 5)).isEqualTo(
                "{\"total\":{\"files\":4,\"done\":1,\"skipped\":1,\"failed\":2,\"bytes\":1024,\"elapsedMs\":812,\"exitCode\":5}}");
    }
}
