package org.mpft.bench.report;

import java.util.Objects;

/**
 * One row of the goals table: a goal, what mpft measured, what its peer measured in the same run, the ratio of
 * the two, and the verdict.
 *
 * @param scenario the scenario the row is computed from
 * @param goal     what is wanted, in words
 * @param measured mpft's value as text (e.g. {@code 40.3 MB/s}), {@code -} when not measured
 * @param peer     the peer's value as text with its name (e.g. {@code sftp 23.4 MB/s}), {@code -} when none
 * @param ratio    mpft's value over the peer's as text (e.g. {@code 1.72x}), {@code -} when either is missing
 * @param target   the goal's bound as text (e.g. {@code >= 1.90x})
 * @param verdict  {@link Verdict#PASS} met, {@link Verdict#FAIL} missed, {@link Verdict#PENDING} not measured
 */
public record TargetGoal(String scenario, String goal, String measured, String peer, String ratio, String target,
                         Verdict verdict) {

    /** Checks the fields. */
    public TargetGoal {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(ratio, "ratio");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** The verdict as the table shows it: {@code met}, {@code missed} or {@code not measured}. */
    public String verdictText() {
        return switch (verdict) {
            case PASS -> "met";
            case FAIL -> "**missed**";
            case PENDING -> "not measured";
        };
    }
}
