/**
 * The report generator of the two-path benchmark harness ({@code bench/run.sh}): it parses the per-run
 * records the harness writes ({@link org.mpft.bench.report.ResultsFile}), summarises them per scenario and
 * tool with medians ({@link org.mpft.bench.report.Summaries}), checks the goals of the benchmark issue
 * ({@link org.mpft.bench.report.Goals}), and renders Markdown tables and a PNG chart drawn with Java2D.
 * Entry point: {@link org.mpft.bench.report.ReportMain}.
 */
package org.mpft.bench.report;
