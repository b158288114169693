package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.client.DownloadResult;

/**
 * Not a test but a measurement (only with {@code -Pbig}): single-path loopback downloads of a text-like and a
 * random file, each cold (new file version: nothing in the plugin's chunk cache; the OS page cache is warm) and
 * warm (every chunk cached), without and with {@code --compress}. Prints a table of MB/s (10^6 bytes per
 * second, wall time of the download), client and server CPU per byte (whole processes: the test JVM runs the
 * client; /proc of the host process) and the bytes on the wire. Asserts only that every download is
 * byte-identical. Size: {@code -Dmpft.bench.mb=256} (default).
 */
@Timeout(3600)
class BigSpeedIT {

    private static final int MB = Integer.getInteger("mpft.bench.mb", 256);

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", "secret-pw"))
            // room for every file version measured: a full W-TinyLFU cache would refuse the later files' chunks
            .pluginProperty("mpft.cache.max-bytes", (5 * MB) + "m")
            .build();


    @Test
    void coldWarmCompressedRaw() throws Exception {
        int size = MB * 1000 * 1000;
        Path text = host.textFile("data/text.log", size, 1);
        Path random = host.randomFile("data/random.bin", size, 2);
        Files.createDirectories(host.work().resolve("out"));
        // warm-up: JIT on both sides (QUIC-NOTES: the first ~2 GiB)
        for (int i = 0; i < 3; i++) {
            download("data/random.bin", random, false, "warmup-" + i);
        }
        StringBuilder table = new StringBuilder("\n| data | compress | cache | MB/s | client CPU ns/B | server CPU ns/B"
                + " | wire/original |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        int n = 0;
        java.util.Map<String, Integer> downloadsOf = new java.util.HashMap<>(java.util.Map.of("data/random.bin", 3));
        for (String data : List.of("text", "random")) {
            Path source = data.equals("text") ? text : random;
            String remote = data.equals("text") ? "data/text.log" : "data/random.bin";
            for (boolean compress : new boolean[] {false, true}) {
                // a new file version: the cache holds nothing of it
                Files.setLastModifiedTime(source, FileTime.fromMillis(1_700_000_000_000L + 1000L * ++n));
                for (String cache : List.of("cold", "warm")) {
                    long serverBefore = serverCpuNanos();
                    long clientBefore = clientCpuNanos();
                    long t0 = System.nanoTime();
                    download(remote, source, compress, data + compress + cache);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double clientNsPerByte = (clientCpuNanos() - clientBefore) / (double) size;
                    double serverNsPerByte = (serverCpuNanos() - serverBefore) / (double) size;
                    // this download's own line: the plugin logs it once the client has its last chunk
                    List<MpftHost.TransferLine> lines = host.transfers(remote, downloadsOf.merge(remote, 1, Integer::sum));
                    MpftHost.TransferLine last = lines.get(lines.size() - 1);
                    table.append(String.format(Locale.ROOT, "| %s | %s | %s (%d/%d hits) | %.0f | %.2f | %.2f | %.3f |%n",
                            data, compress ? "on" : "off", cache, last.cacheHits(), last.chunks(), size / seconds / 1e6,
                            clientNsPerByte, serverNsPerByte, last.wire() / (double) size));
                }
            }
        }
        System.out.println("BigSpeedIT, " + MB + " MB files, loopback, one path:" + table);
    }

    private void download(String remote, Path source, boolean compress, String name) throws Exception {
        Path out = host.work().resolve("out/" + name);
        DownloadResult result = host.client().download(host.request(remote, out, compress), p -> { });
        assertThat(result.bytes()).isEqualTo(Files.size(source));
        assertThat(Files.mismatch(out, source)).isEqualTo(-1L);
        Files.delete(out);
    }

    private static long clientCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long serverCpuNanos() throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(host.process().process().pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
        return ticks * 10_000_000L; // USER_HZ = 100
    }
}
