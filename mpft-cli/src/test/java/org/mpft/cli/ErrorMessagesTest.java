package org.mpft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.mpft.client.Credentials;
import org.mpft.client.DownloadRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.Strategy;

/** A failure of the command says where the partial download is kept and how to resume it. */
class ErrorMessagesTest {

    @TempDir
    Path dir;

    @Test
    void aFailureSaysWhereThePartialDownloadIsKeptAndHowToResume() throws Exception {
        Path output = dir.resolve("big.bin");
        DownloadRequest request = new DownloadRequest("alice", "h", 7300, "data/big.bin", output,
                new Credentials.Password("pw".toCharArray()), (server, sha256, vouchedBy) -> { }, Strategy.ALTERNATE,
                true, 3, false);
        assertThat(SingleGet.keptHint(request)).isEmpty();
        Files.createFile(dir.resolve("big.bin.mpft-part"));
        assertThat(SingleGet.keptHint(request)).isEmpty(); // without its state a part file cannot be resumed
        Files.createFile(dir.resolve("big.bin.mpft-state"));
        assertThat(SingleGet.keptHint(request)).isEqualTo("; the partial download is kept in "
                + dir.resolve("big.bin.mpft-part") + ", run the same command again to resume");
    }
}
