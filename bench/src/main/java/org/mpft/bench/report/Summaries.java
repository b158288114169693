package org.mpft.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every (scenario, tool) summary of a results set, in a stable order: scenarios and tools in the
 * harness's order ({@link #SCENARIO_ORDER}, {@link #TOOL_ORDER}), unknown ones after, in order of
 * appearance.
 */
public final class Summaries {

    /** The scenarios in the order the report shows them. */
    public static final List<String> SCENARIO_ORDER =
            List.of("equal", "unequal", "fast", "lossy-long", "long", "mixed-rtt", "shaped", "loss", "bed", "loopback",
                    "small", "dead-secondary", "capped-equal", "capped-unequal", "memory-1g", "memory-4g",
                    "tree-loopback", "tree-equal", "tree-unequal");

    /** The tools in the order the report shows them: mpft first, then the peers. */
    public static final List<String> TOOL_ORDER = List.of("mpft-default", "mpft-single", "mpft-alternate",
            "mpft-adaptive", "mpft-dead-secondary", "mpft-primary-only", "mpft-link-down", "sftp", "sftp-gcm", "scp",
            "lftp-pget4", "rclone-4", "scp-r", "sftp-r", "lftp-mirror4", "rclone-copy4");

    /** The single-path mpft baseline. */
    public static final String MPFT_SINGLE = "mpft-single";
    /** mpft multi-path, {@code alternate} strategy. */
    public static final String MPFT_ALTERNATE = "mpft-alternate";
    /** mpft multi-path, {@code adaptive} strategy. */
    public static final String MPFT_ADAPTIVE = "mpft-adaptive";
    /** OpenSSH's sftp client with its default cipher. */
    public static final String SFTP = "sftp";

    private final List<ToolSummary> all;

    private Summaries(List<ToolSummary> all) {
        this.all = List.copyOf(all);
    }

    /** Groups the records by (scenario, tool) and summarises each group. */
    public static Summaries of(List<RunRecord> records) {
        Map<List<String>, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord r : records) {
            groups.computeIfAbsent(List.of(r.scenario(), r.tool()), k -> new ArrayList<>()).add(r);
        }
        List<String> scenariosSeen = records.stream().map(RunRecord::scenario).distinct().toList();
        List<String> toolsSeen = records.stream().map(RunRecord::tool).distinct().toList();
        List<ToolSummary> list = new ArrayList<>(groups.values().stream().map(ToolSummary::of).toList());
        list.sort(Comparator.comparingInt((ToolSummary s) -> rank(SCENARIO_ORDER, scenariosSeen, s.scenario()))
                .thenComparingInt(s -> rank(TOOL_ORDER, toolsSeen, s.tool())));
        return new Summaries(list);
    }

    /** Every summary, in report order. */
    public List<ToolSummary> all() {
        return all;
    }

    /** The scenarios present, in report order. */
    public List<String> scenarios() {
        return all.stream().map(ToolSummary::scenario).distinct().toList();
    }

    /** The summaries of one scenario, in report order. */
    public List<ToolSummary> scenario(String scenario) {
        return all.stream().filter(s -> s.scenario().equals(scenario)).toList();
    }

    /** One (scenario, tool) summary, if that pair was run. */
    public Optional<ToolSummary> get(String scenario, String tool) {
        return all.stream().filter(s -> s.scenario().equals(scenario) && s.tool().equals(tool)).findFirst();
    }

    /** The median MB/s of one (scenario, tool), empty when not run or never verified. */
    public OptionalDouble speed(String scenario, String tool) {
        return get(scenario, tool).map(ToolSummary::megabytesPerSec).orElse(OptionalDouble.empty());
    }

    /** The median MB/s over the client's own transfer time, empty when not reported (peers, older files). */
    public OptionalDouble transferSpeed(String scenario, String tool) {
        return get(scenario, tool).map(ToolSummary::transferMegabytesPerSec).orElse(OptionalDouble.empty());
    }

    /** The fastest peer (non-mpft tool) of a scenario by median MB/s. */
    public Optional<ToolSummary> bestPeer(String scenario) {
        return scenario(scenario).stream().filter(s -> !s.isMpft() && s.megabytesPerSec().isPresent())
                .max(Comparator.comparingDouble(s -> s.megabytesPerSec().getAsDouble()));
    }

    private static int rank(List<String> order, List<String> seen, String name) {
        int i = order.indexOf(name);
        return i >= 0 ? i : order.size() + seen.indexOf(name);
    }
}
