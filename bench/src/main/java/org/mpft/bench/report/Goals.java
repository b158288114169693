package org.mpft.bench.report;

import static org.mpft.bench.report.Summaries.MPFT_ADAPTIVE;
import static org.mpft.bench.report.Summaries.MPFT_ALTERNATE;
import static org.mpft.bench.report.Summaries.MPFT_SINGLE;
import static org.mpft.bench.report.Summaries.SFTP;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The multi-path checks of the report (strategies against single path and the best peer, the capped loopback
 * beds, flat client memory), checked against measured medians, and the quick run's gate.
 *
 * <ul>
 *   <li>two equal paths: each multi-path strategy &gt;= 1.9x mpft single path and &gt;= 1.8x the best
 *       single-server peer;</li>
 *   <li>unequal 3:1 paths: {@code adaptive} &gt;= 90% of the summed capacity; {@code alternate} near
 *       2x the slower path (&gt;= 85% of it: it can never exceed it);</li>
 *   <li>loopback, single path: mpft &gt;= MINA's SFTP with the OpenSSH client;</li>
 *   <li>loopback with each instance capped by {@code mpft.max-send-rate} (each path's rate set by
 *       the server, not the network):
 *       equal caps, each multi-path strategy &gt;= 1.9x single path; unequal caps, {@code adaptive} &gt;= 90%
 *       of the caps' sum and &gt;= 1.6x {@code alternate} (which waits for the slower path on half the
 *       chunks);</li>
 *   <li>client memory flat in file size: peak RSS for 4 GiB within 10% of that for 1 GiB.</li>
 * </ul>
 */
public final class Goals {

    /** Multi-path over single path, equal paths. */
    public static final double MULTI_OVER_SINGLE = 1.9;
    /** Multi-path over the best single-server peer, equal paths. */
    public static final double MULTI_OVER_PEER = 1.8;
    /** Adaptive's share of the summed capacity, unequal paths. */
    public static final double ADAPTIVE_CAPACITY = 0.90;
    /** Adaptive over alternate, unequal caps (20 + 60 MB/s: alternate is bound to 2 x 20). */
    public static final double ADAPTIVE_OVER_ALTERNATE = 1.6;
    /** Alternate's share of twice the slower path, unequal paths. */
    public static final double ALTERNATE_OF_TWICE_SLOWER = 0.85;
    /** Largest relative change of peak RSS between a 1 GiB and a 4 GiB download. */
    public static final double MEMORY_TOLERANCE = 0.10;

    private static final double NO_LIMIT = Double.POSITIVE_INFINITY;

    private Goals() {
    }

    /** Every check, in the report's order. */
    public static List<GoalResult> evaluate(Summaries s) {
        List<GoalResult> goals = new ArrayList<>();
        for (String multi : List.of(MPFT_ALTERNATE, MPFT_ADAPTIVE)) {
            goals.add(new GoalResult("two equal paths: mpft " + strategy(multi) + " >= 1.9x mpft single path",
                    Stats.ratio(s.speed("equal", multi), s.speed("equal", MPFT_SINGLE)), "x", MULTI_OVER_SINGLE,
                    NO_LIMIT, multi + " / " + MPFT_SINGLE));
        }
        Optional<ToolSummary> peer = s.bestPeer("equal");
        for (String multi : List.of(MPFT_ALTERNATE, MPFT_ADAPTIVE)) {
            goals.add(new GoalResult("two equal paths: mpft " + strategy(multi) + " >= 1.8x the best single-server peer",
                    Stats.ratio(s.speed("equal", multi),
                            peer.map(ToolSummary::megabytesPerSec).orElse(OptionalDouble.empty())),
                    "x", MULTI_OVER_PEER, NO_LIMIT, multi + " / " + peer.map(ToolSummary::tool).orElse("best peer")));
        }
        goals.add(new GoalResult("unequal 3:1 paths: mpft adaptive >= 90% of the summed capacity",
                s.get("unequal", MPFT_ADAPTIVE).map(ToolSummary::capacityFraction).orElse(OptionalDouble.empty()),
                "%", ADAPTIVE_CAPACITY, NO_LIMIT, MPFT_ADAPTIVE + " / (rate1 + rate2)"));
        goals.add(new GoalResult("unequal 3:1 paths: mpft alternate near 2x the slower path",
                s.get("unequal", MPFT_ALTERNATE).map(Goals::ofTwiceSlower).orElse(OptionalDouble.empty()),
                "%", ALTERNATE_OF_TWICE_SLOWER, NO_LIMIT, MPFT_ALTERNATE + " / (2 x min(rate1, rate2))"));
        goals.add(new GoalResult("loopback, single path: mpft >= MINA SFTP with the OpenSSH client",
                Stats.ratio(s.speed("loopback", MPFT_SINGLE), s.speed("loopback", SFTP)), "x", 1.0, NO_LIMIT,
                MPFT_SINGLE + " / " + SFTP));
        for (String multi : List.of(MPFT_ALTERNATE, MPFT_ADAPTIVE)) {
            goals.add(new GoalResult("capped loopback, equal caps: mpft " + strategy(multi) + " >= 1.9x mpft single path",
                    Stats.ratio(s.speed("capped-equal", multi), s.speed("capped-equal", MPFT_SINGLE)), "x",
                    MULTI_OVER_SINGLE, NO_LIMIT, multi + " / " + MPFT_SINGLE));
        }
        goals.add(new GoalResult("capped loopback, unequal caps: mpft adaptive >= 90% of the caps' sum",
                s.get("capped-unequal", MPFT_ADAPTIVE).map(ToolSummary::capacityFraction).orElse(OptionalDouble.empty()),
                "%", ADAPTIVE_CAPACITY, NO_LIMIT, MPFT_ADAPTIVE + " / (cap1 + cap2)"));
        goals.add(new GoalResult("capped loopback, unequal caps: mpft adaptive >= 1.6x mpft alternate",
                Stats.ratio(s.speed("capped-unequal", MPFT_ADAPTIVE), s.speed("capped-unequal", MPFT_ALTERNATE)),
                "x", ADAPTIVE_OVER_ALTERNATE, NO_LIMIT, MPFT_ADAPTIVE + " / " + MPFT_ALTERNATE));
        goals.add(new GoalResult("client memory flat in file size: peak RSS 4 GiB vs 1 GiB within 10%",
                Stats.ratio(rss("memory-4g", s), rss("memory-1g", s)), "x", 1 - MEMORY_TOLERANCE,
                1 + MEMORY_TOLERANCE, "peak RSS memory-4g / memory-1g, " + MPFT_SINGLE));
        return goals;
    }

    /**
     * The quick run's gate: on the equal-rate bed, multi-path must be faster than mpft single path, that is
     * at least one multi-path strategy that was run (a broken multi-path makes every strategy slower; which
     * strategy wins is the report's business, and with one 100 MB run each on 2 cores either can lose a few
     * percent to noise). It compares the downloads' own durations as the client reports them (the JVM's start
     * is not a property of the paths); when a results file has none (older files), the wall times.
     *
     * @return empty when it passes, else why it failed
     */
    public static Optional<String> multipathGate(Summaries s) {
        boolean transfer = gateUsesTransferTime(s);
        OptionalDouble single = gateSpeed(s, MPFT_SINGLE, transfer);
        if (single.isEmpty()) {
            return Optional.of("gate: no verified mpft single-path run on the equal-rate bed");
        }
        List<String> slower = new ArrayList<>();
        for (String multi : List.of(MPFT_ALTERNATE, MPFT_ADAPTIVE)) {
            OptionalDouble speed = gateSpeed(s, multi, transfer);
            if (speed.isEmpty()) {
                slower.add(multi + " has no verified run" + (transfer ? " with a transfer time" : ""));
            } else if (speed.getAsDouble() <= single.getAsDouble()) {
                slower.add(multi + " " + Markdown.number(speed.getAsDouble(), 1) + " MB/s");
            } else {
                return Optional.empty();
            }
        }
        return Optional.of("gate (equal-rate bed, multi-path faster than single path, " + gateMeasure(transfer)
                + "): no strategy beat " + MPFT_SINGLE + " " + Markdown.number(single.getAsDouble(), 1) + " MB/s: "
                + String.join("; ", slower));
    }

    /** Each multi-path strategy's speed on the equal-rate bed against single path, for the gate's log line. */
    public static String multipathRatios(Summaries s) {
        boolean transfer = gateUsesTransferTime(s);
        OptionalDouble single = gateSpeed(s, MPFT_SINGLE, transfer);
        List<String> parts = new ArrayList<>();
        for (String multi : List.of(MPFT_ALTERNATE, MPFT_ADAPTIVE)) {
            OptionalDouble ratio = Stats.ratio(gateSpeed(s, multi, transfer), single);
            parts.add(multi + " " + (ratio.isPresent() ? Markdown.number(ratio.getAsDouble(), 2) + "x" : "-"));
        }
        return String.join(", ", parts) + " of " + MPFT_SINGLE + " (" + gateMeasure(transfer) + ")";
    }

    /** The gate compares transfer times when the single-path run reports one, wall times otherwise. */
    private static boolean gateUsesTransferTime(Summaries s) {
        return s.transferSpeed("equal", MPFT_SINGLE).isPresent();
    }

    private static OptionalDouble gateSpeed(Summaries s, String tool, boolean transfer) {
        return transfer ? s.transferSpeed("equal", tool) : s.speed("equal", tool);
    }

    private static String gateMeasure(boolean transfer) {
        return transfer ? "over the transfer" : "wall time";
    }

    private static OptionalDouble ofTwiceSlower(ToolSummary t) {
        int slower = Math.min(t.rate1Mbit(), t.rate2Mbit());
        return slower > 0 ? Stats.ratio(t.megabytesPerSec(), OptionalDouble.of(2 * slower / 8.0)) : OptionalDouble.empty();
    }

    private static OptionalDouble rss(String scenario, Summaries s) {
        return s.get(scenario, MPFT_SINGLE).map(ToolSummary::clientRssMib).orElse(OptionalDouble.empty());
    }

    private static String strategy(String tool) {
        return tool.substring(ToolSummary.MPFT_PREFIX.length());
    }
}
