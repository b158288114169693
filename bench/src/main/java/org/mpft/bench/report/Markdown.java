package org.mpft.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders summaries and goal verdicts as GitHub Markdown: one table per scenario (medians, fraction of
 * capacity, ratios to mpft single path and to the best peer, CPU and memory), then the goals table.
 */
public final class Markdown {

    private Markdown() {
    }

    /** The whole report: facts, one table per scenario, the goals. */
    public static String report(Map<String, String> facts, Summaries summaries, List<GoalResult> goals) {
        StringBuilder out = new StringBuilder();
        if (!facts.isEmpty()) {
            out.append("| fact | value |\n| --- | --- |\n");
            facts.forEach((k, v) -> out.append("| ").append(cell(k)).append(" | ").append(cell(v)).append(" |\n"));
            out.append('\n');
        }
        for (String scenario : summaries.scenarios()) {
            out.append(scenarioTable(scenario, summaries)).append('\n');
        }
        out.append(goalsTable(goals));
        return out.toString();
    }

    /**
     * The whole report with the goals table of {@link TargetGoals} after the scenario tables; the goals of
     * {@link Goals} follow when at least one of them was measured.
     */
    public static String report(Map<String, String> facts, Summaries summaries, List<TargetGoal> targets,
                                List<GoalResult> goals) {
        String base = report(facts, summaries, List.of());
        StringBuilder out = new StringBuilder(base.substring(0, base.lastIndexOf("| goal | measured |")));
        out.append(targetGoalsTable(targets));
        if (goals.stream().anyMatch(g -> g.verdict() != Verdict.PENDING)) {
            out.append("\nFurther checks:\n\n").append(goalsTable(goals));
        }
        return out.toString();
    }

    /** The goals table: one row per goal, mpft's value against its peer's from the same run, and the verdict. */
    public static String targetGoalsTable(List<TargetGoal> goals) {
        StringBuilder out = new StringBuilder("| goal | measured | peer, same run | ratio | target | verdict |\n"
                + "| --- | --: | --: | --: | --: | --- |\n");
        for (TargetGoal g : goals) {
            out.append("| ").append(cell(g.goal())).append(" | ").append(cell(g.measured())).append(" | ")
                    .append(cell(g.peer())).append(" | ").append(cell(g.ratio())).append(" | ")
                    .append(cell(g.target())).append(" | ").append(g.verdictText()).append(" |\n");
        }
        return out.toString();
    }

    /** The table of one scenario, under a {@code ####} heading naming its paths. */
    public static String scenarioTable(String scenario, Summaries summaries) {
        List<ToolSummary> rows = summaries.scenario(scenario);
        StringBuilder out = new StringBuilder("#### ").append(scenario).append(" — ")
                .append(rows.isEmpty() ? "" : paths(rows.get(0))).append("\n\n");
        out.append("| tool | verified runs | MB/s (median) | of capacity | vs mpft single | vs best peer "
                + "| MB/s over the transfer | client CPU s/GiB | server CPU s/GiB | client peak RSS MiB |\n");
        out.append("| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |\n");
        OptionalDouble single = summaries.speed(scenario, Summaries.MPFT_SINGLE);
        Optional<ToolSummary> peer = summaries.bestPeer(scenario);
        OptionalDouble peerSpeed = peer.map(ToolSummary::megabytesPerSec).orElse(OptionalDouble.empty());
        for (ToolSummary t : rows) {
            out.append("| ").append(t.tool()).append(" | ").append(t.okRuns()).append('/').append(t.runs())
                    .append(" | ").append(fixed(t.megabytesPerSec(), 1))
                    .append(" | ").append(percent(t.capacityFraction()))
                    .append(" | ").append(times(Stats.ratio(t.megabytesPerSec(), single)))
                    .append(" | ").append(times(Stats.ratio(t.megabytesPerSec(), peerSpeed)))
                    .append(" | ").append(fixed(t.transferMegabytesPerSec(), 1))
                    .append(" | ").append(fixed(t.clientCpuPerGib(), 2))
                    .append(" | ").append(fixed(t.serverCpuPerGib(), 2))
                    .append(" | ").append(fixed(t.clientRssMib(), 0)).append(" |\n");
        }
        peer.ifPresent(p -> out.append("\nbest single-server peer: ").append(p.tool()).append('\n'));
        return out.toString();
    }

    /** The goals with their measured values and verdicts. */
    public static String goalsTable(List<GoalResult> goals) {
        StringBuilder out = new StringBuilder("| goal | measured | target | verdict | from |\n"
                + "| --- | --: | --: | --- | --- |\n");
        for (GoalResult g : goals) {
            out.append("| ").append(cell(g.goal())).append(" | ").append(g.measuredText()).append(" | ")
                    .append(g.targetText()).append(" | ").append(badge(g.verdict())).append(" | ")
                    .append(cell(g.basis())).append(" |\n");
        }
        return out.toString();
    }

    /** A number with a fixed count of decimals, in the root locale. */
    public static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String paths(ToolSummary t) {
        if (t.capacityMbit() == 0) {
            return "unshaped (loopback)";
        }
        return t.rate1Mbit() + " + " + t.rate2Mbit() + " Mbit/s (capacity " + number(t.capacityMbit() / 8.0, 1)
                + " MB/s)";
    }

    private static String badge(Verdict v) {
        return switch (v) {
            case PASS -> "**PASS**";
            case FAIL -> "**FAIL**";
            case PENDING -> "pending";
        };
    }

    private static String fixed(OptionalDouble v, int decimals) {
        return v.isPresent() ? number(v.getAsDouble(), decimals) : "-";
    }

    private static String percent(OptionalDouble v) {
        return v.isPresent() ? number(v.getAsDouble() * 100, 1) + "%" : "-";
    }

    private static String times(OptionalDouble v) {
        return v.isPresent() ? number(v.getAsDouble(), 2) + "x" : "-";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
