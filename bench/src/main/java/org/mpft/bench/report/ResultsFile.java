package org.mpft.bench.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The harness's results file: tab-separated, one {@link RunRecord} per line, under a header line naming
 * the columns ({@link #HEADER}); lines {@code # key=value}, wherever they stand, carry facts about the
 * machine and the run (kernel, JDK, commit, file size, load; a later value of a key wins); other lines
 * starting with {@code #} and empty lines are ignored.
 */
public final class ResultsFile {

    /** The header of files written before {@code transfer_s} existed (sessions 1 to 3); still read. */
    public static final String LEGACY_HEADER = String.join("\t", "scenario", "tool", "run", "bytes", "wall_s",
            "client_cpu_s", "server_cpu_s", "client_rss_kib", "rate1_mbit", "rate2_mbit", "status", "paths", "note");

    /** The column names, in order, tab-separated. */
    public static final String HEADER = LEGACY_HEADER + "\ttransfer_s";

    private ResultsFile() {
    }

    /**
     * The parsed content of one or more results files.
     *
     * @param facts   the {@code # key=value} facts, in file order (a later value of a key wins)
     * @param records every run, in file order
     */
    public record Results(Map<String, String> facts, List<RunRecord> records) {
        /** Freezes the collections. */
        public Results {
            facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
            records = List.copyOf(records);
        }
    }

    /**
     * Reads and merges results files.
     *
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException naming the file and line of a malformed record
     */
    public static Results read(List<Path> files) throws IOException {
        Map<String, String> facts = new LinkedHashMap<>();
        List<RunRecord> records = new ArrayList<>();
        for (Path file : files) {
            Results one = parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            facts.putAll(one.facts());
            records.addAll(one.records());
        }
        return new Results(facts, records);
    }

    /**
     * Parses the text of one results file.
     *
     * @param source the file's name, for error messages
     * @throws IllegalArgumentException naming the line of a malformed record, or when the header is missing
     */
    public static Results parse(String text, String source) {
        Map<String, String> facts = new LinkedHashMap<>();
        List<RunRecord> records = new ArrayList<>();
        boolean header = false;
        int columns = 0;
        int lineNo = 0;
        try (BufferedReader in = new BufferedReader(new StringReader(text))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    int eq = line.indexOf('=');
                    if (eq > 1) {
                        facts.put(line.substring(1, eq).trim(), line.substring(eq + 1).trim());
                    }
                    continue;
                }
                if (!header) {
                    if (!line.equals(HEADER) && !line.equals(LEGACY_HEADER)) {
                        throw new IllegalArgumentException(source + ":" + lineNo + ": expected the header line '"
                                + HEADER.replace('\t', ' ') + "'");
                    }
                    header = true;
                    columns = line.split("\t").length;
                    continue;
                }
                records.add(record(line, columns, source + ":" + lineNo));
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
        if (!header) {
            throw new IllegalArgumentException(source + ": no header line");
        }
        return new Results(facts, records);
    }

    /** One record as a results-file line (no line break). */
    public static String format(RunRecord r) {
        return String.join("\t", r.scenario(), r.tool(), Integer.toString(r.run()), Long.toString(r.bytes()),
                decimal(r.wallSeconds()), decimal(r.clientCpuSeconds()), decimal(r.serverCpuSeconds()),
                Long.toString(r.clientRssKib()), Integer.toString(r.rate1Mbit()), Integer.toString(r.rate2Mbit()),
                r.status(), r.paths(), r.note(), decimal(r.transferSeconds()));
    }

    private static RunRecord record(String line, int columns, String where) {
        String[] f = line.split("\t", -1);
        if (f.length != columns) {
            throw new IllegalArgumentException(where + ": " + f.length + " columns, expected " + columns);
        }
        try {
            return new RunRecord(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), number(f[4]),
                    number(f[5]), number(f[6]), Long.parseLong(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9]),
                    f[10], f[11], f[12], columns > 13 ? number(f[13]) : 0);
        } catch (IllegalArgumentException e) {
            // NumberFormatException is one too
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static double number(String s) {
        double d = Double.parseDouble(s);
        if (Double.isNaN(d) || d < 0) {
            throw new NumberFormatException("not a non-negative number: '" + s + "'");
        }
        return d;
    }

    private static String decimal(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }
}
