package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty as it runs on Java 25 and later by default, without {@code sun.misc.Unsafe}: every JVM here (a primary,
 * its secondary and the real CLI, as processes on loopback) runs with {@code -Dio.netty.noUnsafe=true}, which
 * gives the same netty on the build's Java 17. The chunks are 8 MiB, so every chunk buffer on both sides is one
 * of the reused chunk buffers, which must not need Unsafe.
 */
@Timeout(180)
class NettyWithoutUnsafeIT {

    private static final int MIB = 1 << 20;
    private static final List<String> NO_UNSAFE = List.of("-Dio.netty.noUnsafe=true");

    @TempDir
    Path work;

    private MultiPathHosts hosts;

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
    }

    @AfterEach
    void tearDown() {
        hosts.close();
    }

    @Test
    void aMultiPathDownloadOfLargeChunksArrivesWhole() throws Exception {
        Path secret = hosts.secret("cluster.secret", "u".repeat(48));
        Map<String, String> largeChunks = Map.of("mpft.chunk-size", "8m");
        MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null, largeChunks, NO_UNSAFE);
        MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), largeChunks, NO_UNSAFE);
        MultiPathHosts.awaitLinks(primary, 1);
        Path source = MultiPathHosts.randomFile(hosts.home(), "data/big.bin", 80 * MIB + 12345, 3);
        Path out = Files.createDirectories(work.resolve("out")).resolve("big.bin");
        MpftCli cli = new MpftCli(Files.createDirectories(work.resolve("cli")), MultiPathHosts.PASSWORD);

        MpftCli.Run run = cli.run(NO_UNSAFE, process -> { }, "get", "--password-env", "MPFT_PASSWORD",
                "--accept-new", "--known-hosts", work.resolve("known_hosts").toString(), "--strategy", "alternate",
                "--json", "alice@127.0.0.1:" + primary.port() + ":data/big.bin", "-o", out.toString());

        assertThat(run.exitCode()).as(run + "\nprimary:\n" + primary.process().output() + "\nsecondary:\n"
                + secondary.process().output()).isZero();
        assertThat(MultiPathHosts.sha256(out)).isEqualTo(MultiPathHosts.sha256(source));
        assertThat(run.lastLine()).contains("\"role\":\"secondary\"");
    }
}
