package org.mpft.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The same work as {@link CompressionBench}, timed in <em>thread CPU time</em> rather than wall time, so the
 * numbers hold on a shared, busy machine (wall-clock JMH runs there have error bars larger than the means).
 * Prints, per codec and data: the compressed share, and compress / decompress speed in MB per CPU-second
 * (MB = 10^6 bytes) and CPU ns per byte.
 *
 * <pre>{@code
 * java -cp bench/target/mpft-benchmarks.jar org.mpft.bench.jmh.CompressionCpu [reps]
 * }</pre>
 */
public final class CompressionCpu {

    private CompressionCpu() {
    }

    /** @param args optional: measured repetitions per case (default 30; as many again for warm-up) */
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("| codec | data | compressed/original | compress MB/CPU-s | compress CPU ns/B"
                + " | decompress MB/CPU-s | decompress CPU ns/B |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String codec : new String[] {"deflate1", "deflate6", "deflate9", "zstd1", "zstd3", "mpft"}) {
            for (String data : new String[] {"text", "random"}) {
                CompressionBench bench = new CompressionBench();
                bench.codec = codec;
                bench.data = data;
                bench.setUp();
                int size = 0;
                for (int i = 0; i < reps; i++) {
                    size = bench.compress();
                    bench.decompress();
                }
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) {
                    size = bench.compress();
                }
                long t1 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < reps; i++) {
                    bench.decompress();
                }
                long t2 = threads.getCurrentThreadCpuTime();
                bench.tearDown();
                double bytes = (double) CompressionBench.CHUNK * reps;
                System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.0f | %.2f | %.0f | %.2f |%n", codec, data,
                        size / (double) CompressionBench.CHUNK, bytes / ((t1 - t0) / 1e9) / 1e6, (t1 - t0) / bytes,
                        bytes / ((t2 - t1) / 1e9) / 1e6, (t2 - t1) / bytes);
            }
        }
    }
}
