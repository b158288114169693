package org.mpft.plugin.observe;


import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class TransferLogTest {

    @Test
    void oneLineWithEveryField() {
        Map<String, Long> paths = new LinkedHashMap<>();
        paths.put("primary", 600_000_000L);
        paths.put("sec-1", 473_741_824L);
        assertThat(TransferLog.line("done", 7, "alice", "data/big.iso", 1_073_741_824L, paths, 3_210_000_000L, 2))
                .isEqualTo("transfer 7 done: user=alice file=data/big.iso bytes=1073741824 "
                        + "paths=primary:600000000,sec-1:473741824 duration=3.210s throughput=334.5MB/s retries=2");
    }

    @Test
    void readsPart() {
        assertThat(TransferLog.reads(new ReadCounts(10, 4, 6 << 20, 3_000_000, 2)))
                .isEqualTo(" cache=4/10 disk=6291456 wire=3000000 compressed=2");
    }

    @Test
    void oddNamesAreQuotedAndEscaped() {
        String line = TransferLog.line("cancelled", 1, "bob", "my file=\"x\"\n.txt", 0, Map.of(), 0, 0);
        assertThat(line).contains("file=\"my file=\\\"x\\\"\\u000a.txt\"").contains("paths=-").doesNotContain("\n");
    }

    @Test
    void metricsCountAndPublishOverJmx() throws Exception {
        MpftMetrics metrics = new MpftMetrics();
        metrics.transferStarted();
        metrics.transferStarted();
        metrics.transferEnded(true, Map.of("primary", 40L << 20), 1_000_000_000L, 1);
        metrics.transferEnded(false, Map.of("primary", 1L, "sec-1", 2L), 10, 0);
        metrics.cacheHit();
        metrics.cacheMiss(100);
        metrics.cacheMiss(100);
        assertThat(metrics.getTransfersCompleted()).isEqualTo(1);
        assertThat(metrics.getTransfersFailed()).isEqualTo(1);
        assertThat(metrics.getTransfersActive()).isZero();
        assertThat(metrics.getBytesByPath()).containsEntry("primary", (40L << 20) + 1).containsEntry("sec-1", 2L);
        assertThat(metrics.getRetries()).isEqualTo(1);
        assertThat(metrics.getCacheHitRate()).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(metrics.getDiskBytesRead()).isEqualTo(200);
        // only the finished, big enough transfer counts for the speed: 40 MiB in 1 s on one path
        assertThat(metrics.recentPathSpeed()).isEqualTo(40L << 20);

        metrics.register("test-instance");
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = MpftMetrics.objectName("test-instance");
            assertThat(server.getAttribute(name, "TransfersCompleted")).isEqualTo(1L);
            assertThat(server.getAttribute(name, "CacheHits")).isEqualTo(1L);
        } finally {
            metrics.unregister();
        }
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(MpftMetrics.objectName("test-instance")))
                .isFalse();
    }

    @Test
    void networkLineGivesLossAsAShareOfPacketsAndThePathsFigures() {
        assertThat(TransferLog.networkLine(7, 2000, 2_853_000, 50, 72_600, 1_250_000, 1_048_576, 25_000_000))
                .isEqualTo("transfer 7 network: packets sent=2000 (2853000B, 1427B each) lost=50 (2.50%)"
                        + " retransmitted=72600B rtt=1.25ms cwnd=1048576 deliveryRate=25.0MB/s");
    }

    @Test
    void networkLineLeavesOutUnknownPathFiguresAndNeverDividesByZero() {
        assertThat(TransferLog.networkLine(8, 0, 0, 0, 0, -1, -1, -1))
                .isEqualTo("transfer 8 network: packets sent=0 (0B, 0B each) lost=0 (0.00%) retransmitted=0B");
    }
}
