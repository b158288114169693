package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** Every error of a download names the file, the server and the chunk where it applies. */
class ErrorMessagesTest {

    @Test
    void aServerErrorNamesTheServerAndTheFile() {
        // the plugin's retry limit names the chunk and the path, not the file
        assertThat(DownloadErrors.describe("h:7300", "data/big.bin",
                "chunk 7 failed 4 times (last on sec-1: CHUNK_TIMEOUT), more than the 3 retries allowed"))
                .isEqualTo("h:7300: chunk 7 failed 4 times (last on sec-1: CHUNK_TIMEOUT), more than the 3 retries "
                        + "allowed (downloading data/big.bin)");
        // a message naming the file already is left alone
        assertThat(DownloadErrors.describe("h:7300", "data/big.bin", "no such file: data/big.bin"))
                .isEqualTo("h:7300: no such file: data/big.bin");
    }

    @Test
    void everyFailureOfADownloadNamesTheFile() {
        MpftException lost = new MpftException(ErrorCode.SERVER_UNAVAILABLE,
                "the control stream to 127.0.0.1:7300 closed (no packet for 30 s)");
        MpftException named = DownloadErrors.named(lost, "data/big.bin");
        assertThat(named.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
        assertThat(named.getMessage()).isEqualTo("the control stream to 127.0.0.1:7300 closed (no packet for 30 s) "
                + "(downloading data/big.bin)");
        MpftException already = new MpftException(ErrorCode.CHUNK_CORRUPTION,
                "chunk 3 of data/big.bin from 127.0.0.1:7301 failed its SHA256 checksum 4 times");
        assertThat(DownloadErrors.named(already, "data/big.bin")).isSameAs(already);
    }

    @Test
    void aCancelledDownloadEndsCancelledWhateverItMetOnItsWayOut() {
        DownloadRequest request = DownloadRequest.builder("alice", "127.0.0.1", "data/big.bin",
                Path.of("/tmp/big.bin")).credentials(new Credentials.Password("pw".toCharArray()))
                .hostKeys((h, sha, by) -> { }).build();
        MpftException closed = new MpftException(ErrorCode.SERVER_UNAVAILABLE,
                "the session to 127.0.0.1:7300 was closed");

        MpftException cancelled = DownloadErrors.ofAttempt(closed, request, true);
        assertThat(cancelled.code()).isEqualTo(ErrorCode.CANCELLED);
        assertThat(cancelled.getMessage()).isEqualTo("the download of data/big.bin from 127.0.0.1:7300 was cancelled");
        assertThat(DownloadErrors.ofAttempt(closed, request, false).code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
        assertThat(DownloadErrors.ofAttempt(new InterruptedException(), request, false).code())
                .isEqualTo(ErrorCode.CANCELLED);
        MpftException bug = DownloadErrors.ofAttempt(new IllegalStateException("boom"), request, true);
        assertThat(bug.code()).as("a bug is not hidden behind a cancel").isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(bug.getMessage()).isEqualTo("the download of data/big.bin from 127.0.0.1:7300 failed: "
                + "java.lang.IllegalStateException: boom");
        assertThat(DownloadErrors.awaited(new IllegalStateException("boom"), request).getMessage())
                .isEqualTo(bug.getMessage());
    }
}
