/**
 * The report generator of the two-path benchmark harness ({@code bench/run.sh}): it parses the per-run
 * records the harness writes ({@link org.mpft.bench.report.ResultsFile}), summarises them per scenario and
 * tool with medians ({@link org.mpft.bench.report.Summaries}), checks the goals, each mpft number against its
 * peer from the same results ({@link org.mpft.bench.report.TargetGoals}; the earlier multi-path checks and
 * the quick run's gate in {@link org.mpft.bench.report.Goals}), and renders Markdown tables and a PNG chart
 * drawn with Java2D.
 * Entry point: {@link org.mpft.bench.report.ReportMain}.
 */
package org.mpft.bench.report;
