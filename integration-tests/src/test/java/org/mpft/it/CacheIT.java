package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.client.DownloadResult;

/**
 * The plugin's chunk cache end to end: a second download of the same file is served from the cache (every
 * chunk a hit, no byte read from the disk, per the plugin's transfer line), and a file changed on disk is
 * read again, never served stale.
 */
@Timeout(180)
class CacheIT {

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", "secret-pw"))
            .pluginProperty("mpft.cache.max-bytes", "128m")
            .build();


    @Test
    void aSecondDownloadComesFromTheCacheWithoutDiskReads() throws Exception {
        Path source = host.randomFile("data/twice.bin", 40 * 1000 * 1000, 11);
        Path out1 = host.work().resolve("out/twice-1.bin");
        Path out2 = host.work().resolve("out/twice-2.bin");
        Files.createDirectories(out1.getParent());

        DownloadResult first = host.client().download(host.request("data/twice.bin", out1, false), p -> { });
        DownloadResult second = host.client().download(host.request("data/twice.bin", out2, false), p -> { });

        String sha = DownloadIT.sha256(source);
        assertThat(DownloadIT.sha256(out1)).isEqualTo(sha).isEqualTo(first.sha256());
        assertThat(DownloadIT.sha256(out2)).isEqualTo(sha).isEqualTo(second.sha256());
        var lines = host.transfers("data/twice.bin", 2);
        assertThat(lines).as(host.output()).hasSize(2);
        var cold = lines.get(0);
        var warm = lines.get(1);
        assertThat(cold.cacheHits()).isZero();
        assertThat(cold.disk()).isEqualTo(40 * 1000 * 1000);
        assertThat(warm.chunks()).isEqualTo(second.chunks());
        assertThat(warm.cacheHits()).as("every chunk of the second download from the cache").isEqualTo(warm.chunks());
        assertThat(warm.disk()).as("bytes read from disk by the second download").isZero();
    }

    @Test
    void aFileChangedOnDiskIsReadAgain() throws Exception {
        host.randomFile("data/changing.bin", 8 * 1000 * 1000, 1);
        Path out = host.work().resolve("out/changing-1.bin");
        Files.createDirectories(out.getParent());
        host.client().download(host.request("data/changing.bin", out, false), p -> { });

        Path source = host.randomFile("data/changing.bin", 8 * 1000 * 1000, 2); // same size, new bytes
        Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(source).toMillis() + 5000));
        Path out2 = host.work().resolve("out/changing-2.bin");
        DownloadResult result = host.client().download(host.request("data/changing.bin", out2, false), p -> { });

        assertThat(DownloadIT.sha256(out2)).isEqualTo(DownloadIT.sha256(source)).isEqualTo(result.sha256());
        var lines = host.transfers("data/changing.bin", 2);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).cacheHits()).isZero();
        assertThat(lines.get(1).disk()).isEqualTo(8 * 1000 * 1000);
    }
}
