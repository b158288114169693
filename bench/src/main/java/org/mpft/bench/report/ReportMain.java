package org.mpft.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report generator of {@code bench/run.sh}:
 * {@code java -cp bench/target/mpft-benchmarks.jar org.mpft.bench.report.ReportMain [options] RESULTS.tsv...}
 * reads one or more results files, prints the Markdown report (medians, ratios, the goals of
 * {@link TargetGoals} with their verdicts, then those of {@link Goals} that were measured) and
 * optionally writes it to a file, draws the PNG chart, updates the generated part of a document, and
 * checks the quick run's gate.
 *
 * <p>Options: {@code --markdown FILE}, {@code --chart FILE}, {@code --title TEXT} (the chart's title),
 * {@code --doc FILE} (replace the part between the {@link DocSection} markers), {@code --gate} (exit 3
 * unless multi-path, one strategy at least, beat single path on the equal-rate bed: {@link Goals#multipathGate}).
 *
 * <p>Exit codes: 0 done, 2 bad command line or results file, 3 the gate failed.
 */
public final class ReportMain {

    /** Exit code: the command line or a results file is wrong. */
    static final int EXIT_USAGE = 2;
    /** Exit code: the multi-path gate failed. */
    static final int EXIT_GATE = 3;

    private ReportMain() {
    }

    /**
     * Runs the generator and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the generator without exiting; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path markdown = null;
        Path chart = null;
        Path doc = null;
        String title = "mpft vs peers: median download throughput";
        boolean gate = false;
        List<Path> inputs = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--markdown" -> markdown = Path.of(value(args, ++i, "--markdown"));
                    case "--chart" -> chart = Path.of(value(args, ++i, "--chart"));
                    case "--doc" -> doc = Path.of(value(args, ++i, "--doc"));
                    case "--title" -> title = value(args, ++i, "--title");
                    case "--gate" -> gate = true;
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        inputs.add(Path.of(args[i]));
                    }
                }
            }
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no results file given");
            }
            ResultsFile.Results results = ResultsFile.read(inputs);
            Summaries summaries = Summaries.of(results.records());
            String report = Markdown.report(results.facts(), summaries, TargetGoals.evaluate(results.records()),
                    Goals.evaluate(summaries));
            out.print(report);
            if (markdown != null) {
                Files.writeString(markdown, report, StandardCharsets.UTF_8);
            }
            if (chart != null) {
                BarChart.writePng(summaries, title, chart);
            }
            if (doc != null) {
                String text = Files.readString(doc, StandardCharsets.UTF_8);
                Files.writeString(doc, DocSection.replace(text, report), StandardCharsets.UTF_8);
            }
            if (gate) {
                Optional<String> failure = Goals.multipathGate(summaries);
                if (failure.isPresent()) {
                    err.println("bench: " + failure.get());
                    return EXIT_GATE;
                }
                err.println("bench: gate passed (multi-path faster than single path on the equal-rate bed: "
                        + Goals.multipathRatios(summaries) + ")");
            }
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("bench report: " + e.getMessage());
            err.println("usage: ReportMain [--markdown FILE] [--chart FILE] [--title TEXT] [--doc FILE] [--gate] "
                    + "RESULTS.tsv...");
            return EXIT_USAGE;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
