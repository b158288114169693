package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.client.DownloadResult;

/**
 * Per-chunk compression end to end, through the real plugin jar in a host process (zstd's native library
 * loads from the plugin's class loader): a compressed transfer stays byte-identical, compressible chunks
 * travel compressed, incompressible ones raw, and nothing is compressed unless the client asks.
 */
@Timeout(180)
class CompressionIT {

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", "secret-pw"))
            .pluginProperty("mpft.cache.max-bytes", "0")
            .build();


    @Test
    void textTravelsCompressedAndArrivesIdentical() throws Exception {
        Path source = host.textFile("data/log.txt", 30 * 1000 * 1000 + 17, 5);
        Path out = host.work().resolve("out/log.txt");
        Files.createDirectories(out.getParent());

        DownloadResult result = host.client().download(host.request("data/log.txt", out, true), p -> { });

        assertThat(DownloadIT.sha256(out)).isEqualTo(DownloadIT.sha256(source)).isEqualTo(result.sha256());
        assertThat(result.retries()).isZero();
        var line = host.transfers("data/log.txt", 1);
        assertThat(line).as(host.output()).hasSize(1);
        assertThat(line.get(0).compressed()).isEqualTo(line.get(0).chunks()).isPositive();
        assertThat(line.get(0).wire()).isLessThan(line.get(0).bytes() / 2);
    }

    @Test
    void randomDataTravelsRawAndArrivesIdentical() throws Exception {
        Path source = host.randomFile("data/noise.bin", 20 * 1000 * 1000, 6);
        Path out = host.work().resolve("out/noise.bin");
        Files.createDirectories(out.getParent());

        DownloadResult result = host.client().download(host.request("data/noise.bin", out, true), p -> { });

        assertThat(DownloadIT.sha256(out)).isEqualTo(DownloadIT.sha256(source)).isEqualTo(result.sha256());
        var line = host.transfers("data/noise.bin", 1);
        assertThat(line).hasSize(1);
        assertThat(line.get(0).compressed()).isZero();
        assertThat(line.get(0).wire()).isEqualTo(20 * 1000 * 1000);
    }

    @Test
    void withoutTheFlagNothingIsCompressed() throws Exception {
        Path source = host.textFile("data/plain.txt", 10 * 1000 * 1000, 7);
        Path out = host.work().resolve("out/plain.txt");
        Files.createDirectories(out.getParent());

        host.client().download(host.request("data/plain.txt", out, false), p -> { });

        assertThat(DownloadIT.sha256(out)).isEqualTo(DownloadIT.sha256(source));
        var line = host.transfers("data/plain.txt", 1);
        assertThat(line).hasSize(1);
        assertThat(line.get(0).compressed()).isZero();
        assertThat(line.get(0).wire()).isEqualTo(10 * 1000 * 1000);
    }
}
