package org.mpft.bench.report;

import java.util.Objects;

/**
 * One measured download of the harness ({@code bench/run.sh}): one line of a results file.
 *
 * @param scenario         where it ran: {@code equal}, {@code unequal}, {@code loss}, {@code loopback},
 *                         {@code memory-1g}, {@code memory-4g}, ...
 * @param tool             what downloaded: {@code mpft-single}, {@code mpft-alternate}, {@code mpft-adaptive},
 *                         {@code sftp}, {@code scp}, {@code lftp-pget4}, {@code rclone-4}, ...
 * @param run              the repetition, from 1
 * @param bytes            the file's size, bytes
 * @param wallSeconds      wall time of the client command, seconds (start of the process to its exit)
 * @param clientCpuSeconds user + system CPU of the client process and its waited-for children, seconds
 * @param serverCpuSeconds user + system CPU of the server JVMs during the run, seconds (summed over servers)
 * @param clientRssKib     the client's peak resident set, KiB (the largest process of its tree)
 * @param rate1Mbit        path 1's configured rate, Mbit/s; 0 = not shaped (loopback)
 * @param rate2Mbit        path 2's configured rate, Mbit/s; 0 = not shaped or not used
 * @param status           {@link #STATUS_OK}, {@link #STATUS_FAIL} (the command failed) or
 *                         {@link #STATUS_SHA_MISMATCH} (it finished but the file differs)
 * @param paths            per-path detail as {@code role:chunks:bytes} joined by commas, or {@code -}
 * @param note             free text (an error's last line), or {@code -}
 * @param transferSeconds  the download's own duration as the mpft client reports it ({@code elapsedMs} of its
 *                         {@code --json} summary: connection to the last chunk, without the JVM's start),
 *                         seconds; 0 when not reported (the peers, older results files)
 */
public record RunRecord(String scenario, String tool, int run, long bytes, double wallSeconds,
                        double clientCpuSeconds, double serverCpuSeconds, long clientRssKib,
                        int rate1Mbit, int rate2Mbit, String status, String paths, String note,
                        double transferSeconds) {

    /** The download finished and its SHA-256 matched the source. */
    public static final String STATUS_OK = "ok";
    /** The download command failed. */
    public static final String STATUS_FAIL = "fail";
    /** The download finished but its SHA-256 differs from the source's. */
    public static final String STATUS_SHA_MISMATCH = "sha-mismatch";

    private static final double BYTES_PER_GIB = 1024.0 * 1024 * 1024;

    /** A run whose tool reports no transfer time of its own. */
    public RunRecord(String scenario, String tool, int run, long bytes, double wallSeconds, double clientCpuSeconds,
                     double serverCpuSeconds, long clientRssKib, int rate1Mbit, int rate2Mbit, String status,
                     String paths, String note) {
        this(scenario, tool, run, bytes, wallSeconds, clientCpuSeconds, serverCpuSeconds, clientRssKib, rate1Mbit,
                rate2Mbit, status, paths, note, 0);
    }

    /** Checks the fields. */
    public RunRecord {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(note, "note");
        if (!status.equals(STATUS_OK) && !status.equals(STATUS_FAIL) && !status.equals(STATUS_SHA_MISMATCH)) {
            throw new IllegalArgumentException("unknown status '" + status + "'");
        }
    }

    /** True when the download finished and was verified. */
    public boolean ok() {
        return STATUS_OK.equals(status);
    }

    /** Throughput: bytes / wall seconds, in MB/s (10^6 bytes). */
    public double megabytesPerSecond() {
        return wallSeconds > 0 ? bytes / 1e6 / wallSeconds : 0;
    }

    /** Throughput over the client's own transfer time, MB/s; 0 when the tool reports none. */
    public double transferMegabytesPerSecond() {
        return transferSeconds > 0 ? bytes / 1e6 / transferSeconds : 0;
    }

    /** The summed configured capacity of the paths, Mbit/s; 0 when not shaped. */
    public int capacityMbit() {
        return rate1Mbit + rate2Mbit;
    }

    /** Client CPU seconds per GiB moved. */
    public double clientCpuPerGib() {
        return perGib(clientCpuSeconds);
    }

    /** Server CPU seconds per GiB moved. */
    public double serverCpuPerGib() {
        return perGib(serverCpuSeconds);
    }

    private double perGib(double seconds) {
        return bytes > 0 ? seconds / (bytes / BYTES_PER_GIB) : 0;
    }
}
