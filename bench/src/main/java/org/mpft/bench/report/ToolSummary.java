package org.mpft.bench.report;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The medians of one tool's runs in one scenario, over the verified runs only.
 *
 * @param scenario        the scenario
 * @param tool            the tool
 * @param runs            every run recorded, verified or not
 * @param okRuns          the verified runs
 * @param megabytesPerSec median throughput, MB/s (empty when no run was verified)
 * @param clientCpuPerGib median client CPU, seconds per GiB
 * @param serverCpuPerGib median server CPU, seconds per GiB
 * @param clientRssMib    median client peak RSS, MiB
 * @param capacityMbit    the scenario's summed path capacity, Mbit/s; 0 when not shaped
 * @param rate1Mbit       path 1's rate, Mbit/s; 0 when not shaped
 * @param rate2Mbit       path 2's rate, Mbit/s; 0 when not shaped
 * @param transferMegabytesPerSec median throughput over the client's own transfer time (without the JVM's
 *                        start), MB/s; empty when the tool reports none
 */
public record ToolSummary(String scenario, String tool, int runs, int okRuns, OptionalDouble megabytesPerSec,
                          OptionalDouble clientCpuPerGib, OptionalDouble serverCpuPerGib, OptionalDouble clientRssMib,
                          int capacityMbit, int rate1Mbit, int rate2Mbit, OptionalDouble transferMegabytesPerSec) {

    /** Tools whose id starts with this prefix are mpft; the others are the peers it is compared with. */
    public static final String MPFT_PREFIX = "mpft-";

    /** Summarises the runs of one (scenario, tool); {@code runs} must not be empty. */
    public static ToolSummary of(List<RunRecord> runs) {
        RunRecord first = runs.get(0);
        List<RunRecord> ok = runs.stream().filter(RunRecord::ok).toList();
        return new ToolSummary(first.scenario(), first.tool(), runs.size(), ok.size(),
                median(ok, RunRecord::megabytesPerSecond), median(ok, RunRecord::clientCpuPerGib),
                median(ok, RunRecord::serverCpuPerGib), median(ok, r -> r.clientRssKib() / 1024.0),
                first.capacityMbit(), first.rate1Mbit(), first.rate2Mbit(),
                median(ok.stream().filter(r -> r.transferSeconds() > 0).toList(),
                        RunRecord::transferMegabytesPerSecond));
    }

    /** True for an mpft tool, false for a peer. */
    public boolean isMpft() {
        return tool.startsWith(MPFT_PREFIX);
    }

    /** Median throughput as a fraction of the summed path capacity; empty when not shaped. */
    public OptionalDouble capacityFraction() {
        return capacityMbit > 0 ? Stats.ratio(megabytesPerSec, OptionalDouble.of(capacityMbit / 8.0))
                : OptionalDouble.empty();
    }

    private static OptionalDouble median(List<RunRecord> runs, ToDoubleFunction<RunRecord> f) {
        return Stats.median(runs.stream().map(f::applyAsDouble).toList());
    }
}
