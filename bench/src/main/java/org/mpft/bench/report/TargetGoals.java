package org.mpft.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The goals of the speed and many-files work, one row each, every mpft number against its peer measured in
 * the same results set (medians over verified runs):
 *
 * <ul>
 *   <li>two-path beds ({@code equal}, {@code unequal}, {@code fast}, {@code lossy-long}, {@code long},
 *       {@code mixed-rtt}): {@code mpft-default} (no strategy option) against OpenSSH {@code sftp} in wall time,
 *       and as a share of the paths' summed capacity; on {@code fast} also the client CPU per GiB;</li>
 *   <li>{@code shaped}: mpft single path over its own transfer time against the tbf rate, and in wall time
 *       against {@code sftp};</li>
 *   <li>{@code loopback}: mpft single path in MB/s, against {@code sftp-gcm} as the stretch;</li>
 *   <li>{@code small}: the 1 kB file's median wall time;</li>
 *   <li>{@code dead-secondary}: the download with a stopped secondary against one from a host without
 *       secondaries, and the seconds until the primary's link says down ({@code mpft-link-down} records);</li>
 *   <li>{@code memory-*}: the largest peak RSS, and the largest file's against the smallest's;</li>
 *   <li>{@code tree-loopback}, {@code tree-equal}: {@code mpft get -r} against the tree peers.</li>
 * </ul>
 */
public final class TargetGoals {

    /** The mpft tool with no strategy option, to a primary with a secondary. */
    public static final String MPFT_DEFAULT = "mpft-default";
    /** The tree peers: copies of a whole folder over one path. */
    public static final List<String> TREE_PEERS = List.of("scp-r", "sftp-r", "lftp-mirror4", "rclone-copy4");

    private final List<RunRecord> records;
    private final Summaries summaries;

    private TargetGoals(List<RunRecord> records) {
        this.records = List.copyOf(records);
        this.summaries = Summaries.of(records);
    }

    /** Every goal row, in the order of the goals table. */
    public static List<TargetGoal> evaluate(List<RunRecord> records) {
        return new TargetGoals(records).rows();
    }

    private List<TargetGoal> rows() {
        List<TargetGoal> rows = new ArrayList<>();
        rows.add(overPeer("equal", "200 + 200 Mbit/s: mpft get (no strategy option) >= 1.9x OpenSSH sftp, wall time", 1.9));
        rows.add(ofCapacity("unequal", "300 + 100 Mbit/s: default >= 90% of the summed capacity", 0.90));
        rows.add(overPeer("unequal", "300 + 100 Mbit/s: default >= 1.3x sftp", 1.3));
        rows.add(overPeer("fast", "500 + 500 Mbit/s: default >= 1.8x sftp", 1.8));
        rows.add(cpuPerGib("fast"));
        rows.add(ofCapacity("lossy-long", "200 + 200 Mbit/s, 40 ms RTT each, 1% loss on path 1: default >= 85% of the summed capacity", 0.85));
        rows.add(ofCapacity("long", "200 + 200 Mbit/s, 100 ms RTT each: default >= 90% of the summed capacity", 0.90));
        rows.add(overPeer("long", "200 + 200 Mbit/s, 100 ms RTT each: default >= 3.5x sftp", 3.5));
        rows.add(ofCapacity("mixed-rtt", "200 + 200 Mbit/s, 10 and 100 ms RTT: default >= 90% of the summed capacity", 0.90));
        rows.add(shapedRate());
        rows.add(shapedWall());
        rows.add(loopback());
        rows.add(loopbackStretch());
        rows.add(smallFile());
        rows.add(deadSecondary());
        rows.add(linkDown());
        rows.add(memoryPeak());
        rows.add(memoryFlat());
        rows.add(treeOver("tree-loopback", "scp-r", "tree, loopback: mpft get -r >= scp -r, wall time", 1.0));
        rows.add(treeOver("tree-loopback", "rclone-copy4", "tree, loopback: mpft get -r >= rclone copy --transfers 4", 1.0));
        rows.add(treeOverBest());
        return rows;
    }

    // ------------------------------------------------------------------ the kinds of rows

    private TargetGoal overPeer(String scen, String goal, double least) {
        OptionalDouble mine = summaries.speed(scen, MPFT_DEFAULT);
        OptionalDouble peer = summaries.speed(scen, Summaries.SFTP);
        OptionalDouble ratio = Stats.ratio(mine, peer);
        return row(scen, goal, mbps(mine), named(Summaries.SFTP, mbps(peer)), ratio, ">= " + x(least),
                verdict(ratio, r -> r >= least));
    }

    private TargetGoal ofCapacity(String scen, String goal, double least) {
        Optional<ToolSummary> mine = summaries.get(scen, MPFT_DEFAULT);
        OptionalDouble fraction = mine.map(ToolSummary::capacityFraction).orElse(OptionalDouble.empty());
        OptionalDouble speed = summaries.speed(scen, MPFT_DEFAULT);
        OptionalDouble peer = summaries.speed(scen, Summaries.SFTP);
        String capacity = mine.filter(t -> t.capacityMbit() > 0)
                .map(t -> " of " + Markdown.number(t.capacityMbit() / 8.0, 1) + " MB/s").orElse("");
        return row(scen, goal, mbps(speed) + (fraction.isPresent() ? " (" + pct(fraction.getAsDouble()) + ")" : ""),
                named(Summaries.SFTP, mbps(peer)), Stats.ratio(speed, peer), ">= " + pct(least) + capacity,
                verdict(fraction, f -> f >= least));
    }

    private TargetGoal cpuPerGib(String scen) {
        OptionalDouble mine = summary(scen, MPFT_DEFAULT, ToolSummary::clientCpuPerGib);
        OptionalDouble peer = summary(scen, Summaries.SFTP, ToolSummary::clientCpuPerGib);
        OptionalDouble ratio = Stats.ratio(mine, peer);
        return row(scen, "500 + 500 Mbit/s: client CPU per GiB <= sftp's", unit(mine, 2, " CPU-s/GiB"),
                named(Summaries.SFTP, unit(peer, 2, " CPU-s/GiB")), ratio, "<= 1.00x", verdict(ratio, r -> r <= 1.0));
    }

    private TargetGoal shapedRate() {
        Optional<ToolSummary> single = summaries.get("shaped", Summaries.MPFT_SINGLE);
        OptionalDouble transfer = summaries.transferSpeed("shaped", Summaries.MPFT_SINGLE);
        OptionalDouble rate = single.filter(t -> t.rate1Mbit() > 0).map(t -> OptionalDouble.of(t.rate1Mbit() / 8.0))
                .orElse(OptionalDouble.empty());
        OptionalDouble fraction = Stats.ratio(transfer, rate);
        return row("shaped", "one path, shaped: mpft single >= 95% of the tbf rate over the transfer",
                transfer.isPresent() ? mbps(transfer) + " over the transfer" : "-", named("tbf", mbps(rate)), fraction,
                ">= 95.0%",
                verdict(fraction, f -> f >= 0.95), true);
    }

    private TargetGoal shapedWall() {
        OptionalDouble mine = summaries.speed("shaped", Summaries.MPFT_SINGLE);
        OptionalDouble peer = summaries.speed("shaped", Summaries.SFTP);
        OptionalDouble ratio = Stats.ratio(mine, peer);
        return row("shaped", "one path, shaped: mpft single >= sftp, wall time", mbps(mine),
                named(Summaries.SFTP, mbps(peer)), ratio, ">= 1.00x", verdict(ratio, r -> r >= 1.0));
    }

    private TargetGoal loopback() {
        OptionalDouble mine = summaries.speed("loopback", Summaries.MPFT_SINGLE);
        OptionalDouble peer = summaries.speed("loopback", "sftp-gcm");
        return row("loopback", "loopback, one path: >= 250 MB/s", mbps(mine), named("sftp-gcm", mbps(peer)),
                Stats.ratio(mine, peer), ">= 250.0 MB/s", verdict(mine, v -> v >= 250));
    }

    private TargetGoal loopbackStretch() {
        OptionalDouble mine = summaries.speed("loopback", Summaries.MPFT_SINGLE);
        OptionalDouble peer = summaries.speed("loopback", "sftp-gcm");
        OptionalDouble ratio = Stats.ratio(mine, peer);
        return row("loopback", "loopback, one path (stretch): >= sftp with aes128-gcm", mbps(mine),
                named("sftp-gcm", mbps(peer)), ratio, ">= 1.00x", verdict(ratio, r -> r >= 1.0));
    }

    private TargetGoal smallFile() {
        OptionalDouble mine = wall("small", MPFT_DEFAULT);
        OptionalDouble peer = wall("small", Summaries.SFTP);
        return row("small", "1 kB file: <= 0.40 s wall, median of 10 (mpft get to a primary with a secondary)",
                seconds(mine) + runsText("small", MPFT_DEFAULT), named(Summaries.SFTP, seconds(peer)),
                Stats.ratio(mine, peer), "<= 0.40 s", verdict(mine, v -> v <= 0.40));
    }

    private TargetGoal deadSecondary() {
        OptionalDouble mine = wall("dead-secondary", "mpft-dead-secondary");
        OptionalDouble peer = wall("dead-secondary", "mpft-primary-only");
        OptionalDouble slower = mine.isPresent() && peer.isPresent()
                ? OptionalDouble.of(mine.getAsDouble() - peer.getAsDouble()) : OptionalDouble.empty();
        return row("dead-secondary", "secondary dead at start: <= 1 s slower than a primary-only download",
                seconds(mine) + (slower.isPresent() ? " (+" + Markdown.number(slower.getAsDouble(), 2) + " s)" : ""),
                named("primary only", seconds(peer)), Stats.ratio(mine, peer), "<= +1.00 s",
                verdict(slower, d -> d <= 1.0));
    }

    private TargetGoal linkDown() {
        OptionalDouble mine = wall("dead-secondary", "mpft-link-down");
        return row("dead-secondary", "secondary dead at start: the primary notices the dead link within 3 s",
                seconds(mine) + runsText("dead-secondary", "mpft-link-down"), "-", OptionalDouble.empty(), "<= 3.00 s",
                verdict(mine, v -> v <= 3.0));
    }

    private TargetGoal memoryPeak() {
        List<ToolSummary> memory = memorySummaries();
        OptionalDouble peak = memory.stream().map(ToolSummary::clientRssMib).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).max();
        String sizes = String.join(", ", memory.stream().map(t -> t.scenario().substring("memory-".length())).toList());
        return row("memory", "client memory: peak RSS <= 160 MiB for any file size (bin/mpft's defaults)",
                unit(peak, 0, " MiB") + (sizes.isEmpty() ? "" : " (largest of " + sizes + ")"), "-",
                OptionalDouble.empty(), "<= 160 MiB", verdict(peak, v -> v <= 160));
    }

    private TargetGoal memoryFlat() {
        List<ToolSummary> memory = memorySummaries();
        OptionalDouble small = memory.isEmpty() ? OptionalDouble.empty() : memory.get(0).clientRssMib();
        OptionalDouble large = memory.size() < 2 ? OptionalDouble.empty() : memory.get(memory.size() - 1).clientRssMib();
        OptionalDouble ratio = Stats.ratio(large, small);
        String largeName = memory.size() < 2 ? "" : memory.get(memory.size() - 1).scenario() + " ";
        String smallName = memory.isEmpty() ? "" : memory.get(0).scenario() + " ";
        return row("memory", "client memory: the largest file's peak RSS within 10% of the smallest's",
                largeName + unit(large, 0, " MiB"), smallName + unit(small, 0, " MiB"), ratio, "0.90x .. 1.10x",
                verdict(ratio, r -> r >= 0.9 && r <= 1.1));
    }

    private TargetGoal treeOver(String scen, String peerTool, String goal, double least) {
        OptionalDouble mine = summaries.speed(scen, MPFT_DEFAULT);
        OptionalDouble peer = summaries.speed(scen, peerTool);
        OptionalDouble ratio = Stats.ratio(mine, peer);
        return row(scen, goal, mbps(mine), named(peerTool, mbps(peer)), ratio, ">= " + x(least),
                verdict(ratio, r -> r >= least));
    }

    private TargetGoal treeOverBest() {
        String scen = "tree-equal";
        Optional<ToolSummary> best = summaries.scenario(scen).stream()
                .filter(t -> TREE_PEERS.contains(t.tool()) && t.megabytesPerSec().isPresent())
                .max(Comparator.comparingDouble(t -> t.megabytesPerSec().getAsDouble()));
        OptionalDouble mine = summaries.speed(scen, MPFT_DEFAULT);
        OptionalDouble peer = best.map(ToolSummary::megabytesPerSec).orElse(OptionalDouble.empty());
        OptionalDouble ratio = Stats.ratio(mine, peer);
        return row(scen, "tree, 200 + 200 Mbit/s: mpft get -r >= 1.6x the best single-path peer", mbps(mine),
                named(best.map(ToolSummary::tool).orElse("best peer"), mbps(peer)), ratio, ">= 1.60x",
                verdict(ratio, r -> r >= 1.6));
    }

    // ------------------------------------------------------------------ helpers

    private TargetGoal row(String scen, String goal, String measured, String peer, OptionalDouble ratio, String target,
                           Verdict verdict) {
        return row(scen, goal, measured, peer, ratio, target, verdict, false);
    }

    private TargetGoal row(String scen, String goal, String measured, String peer, OptionalDouble ratio, String target,
                           Verdict verdict, boolean ratioAsPercent) {
        String r = ratio.isEmpty() ? "-" : ratioAsPercent ? pct(ratio.getAsDouble()) : x(ratio.getAsDouble());
        return new TargetGoal(scen, goal, measured, peer, r, target, verdict);
    }

    /** The memory scenarios, smallest file first. */
    private List<ToolSummary> memorySummaries() {
        return summaries.all().stream()
                .filter(t -> t.scenario().startsWith("memory-") && t.tool().equals(Summaries.MPFT_SINGLE))
                .sorted(Comparator.comparingLong(t -> bytesOf(t.scenario())))
                .toList();
    }

    private long bytesOf(String scenario) {
        return records.stream().filter(r -> r.scenario().equals(scenario)).mapToLong(RunRecord::bytes).max().orElse(0);
    }

    private OptionalDouble summary(String scen, String tool, Function<ToolSummary, OptionalDouble> f) {
        return summaries.get(scen, tool).map(f).orElse(OptionalDouble.empty());
    }

    /** The median wall time of the verified runs of one (scenario, tool). */
    private OptionalDouble wall(String scen, String tool) {
        return median(scen, tool, RunRecord::wallSeconds);
    }

    private OptionalDouble median(String scen, String tool, ToDoubleFunction<RunRecord> f) {
        return Stats.median(records.stream().filter(r -> r.scenario().equals(scen) && r.tool().equals(tool) && r.ok())
                .map(f::applyAsDouble).toList());
    }

    private String runsText(String scen, String tool) {
        long ok = records.stream().filter(r -> r.scenario().equals(scen) && r.tool().equals(tool) && r.ok()).count();
        return ok == 0 ? "" : " (" + ok + (ok == 1 ? " run)" : " runs)");
    }

    private static Verdict verdict(OptionalDouble value, DoublePredicate met) {
        if (value.isEmpty()) {
            return Verdict.PENDING;
        }
        return met.test(value.getAsDouble()) ? Verdict.PASS : Verdict.FAIL;
    }

    private static String named(String name, String value) {
        return "-".equals(value) ? "-" : name + " " + value;
    }

    private static String mbps(OptionalDouble v) {
        return unit(v, 1, " MB/s");
    }

    private static String seconds(OptionalDouble v) {
        return unit(v, 2, " s");
    }

    private static String unit(OptionalDouble v, int decimals, String unit) {
        return v.isPresent() ? Markdown.number(v.getAsDouble(), decimals) + unit : "-";
    }

    private static String x(double v) {
        return Markdown.number(v, 2) + "x";
    }

    private static String pct(double v) {
        return Markdown.number(v * 100, 1) + "%";
    }
}
