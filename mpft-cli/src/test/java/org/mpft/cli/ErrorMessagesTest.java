package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.Strategy;

/** Issue 4, item 1: every error names the file, the server and the chunk where it applies; failures say how to resume. */
class ErrorMessagesTest {

    @TempDir
    Path dir;

    @Test
    void aServerErrorNamesTheServerAndTheFile() {
        // the plugin's retry limit names the chunk and the path, not the file
        assertThat(DownloadTask.describe("h:7300", "data/big.bin",
                "chunk 7 failed 4 times (last on sec-1: CHUNK_TIMEOUT), more than the 3 retries allowed"))
                .isEqualTo("h:7300: chunk 7 failed 4 times (last on sec-1: CHUNK_TIMEOUT), more than the 3 retries "
                        + "allowed (downloading data/big.bin)");
        // a message naming the file already is left alone
        assertThat(DownloadTask.describe("h:7300", "data/big.bin", "no such file: data/big.bin"))
                .isEqualTo("h:7300: no such file: data/big.bin");
    }

    @Test
    void everyFailureOfADownloadNamesTheFile() {
        MpftException lost = new MpftException(ErrorCode.SERVER_UNAVAILABLE,
                "the control stream to 127.0.0.1:7300 closed (no packet for 30 s)");
        MpftException named = DownloadTask.named(lost, "data/big.bin");
        assertThat(named.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
        assertThat(named.getMessage()).isEqualTo("the control stream to 127.0.0.1:7300 closed (no packet for 30 s) "
                + "(downloading data/big.bin)");
        MpftException already = new MpftException(ErrorCode.CHUNK_CORRUPTION,
                "chunk 3 of data/big.bin from 127.0.0.1:7301 failed its SHA256 checksum 4 times");
        assertThat(DownloadTask.named(already, "data/big.bin")).isSameAs(already);
    }

    @Test
    void aFailureSaysWhereThePartialDownloadIsKeptAndHowToResume() throws Exception {
        Path output = dir.resolve("big.bin");
        DownloadRequest request = new DownloadRequest("alice", "h", 7300, "data/big.bin", output,
                new Credentials.Password("pw".toCharArray()), (server, sha256, vouchedBy) -> { }, Strategy.ALTERNATE,
                true, 3, false);
        assertThat(GetCommand.keptHint(request)).isEmpty();
        Files.createFile(dir.resolve("big.bin.mpft-part"));
        assertThat(GetCommand.keptHint(request)).isEmpty(); // without its state a part file cannot be resumed
        Files.createFile(dir.resolve("big.bin.mpft-state"));
        assertThat(GetCommand.keptHint(request)).isEqualTo("; the partial download is kept in "
                + dir.resolve("big.bin.mpft-part") + ", run the same command again to resume");
    }
}
