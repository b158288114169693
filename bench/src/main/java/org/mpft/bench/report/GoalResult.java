package org.mpft.bench.report;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One goal checked against the measured medians.
 *
 * @param goal     what is wanted, in words
 * @param measured the measured value (a ratio or fraction), empty when pending
 * @param unit     how {@code measured} and the bounds read: {@code x} (a ratio) or {@code %} (a fraction)
 * @param low      the least value that meets the goal
 * @param high     the largest value that meets the goal ({@code Double.POSITIVE_INFINITY} for none)
 * @param basis    what the value was computed from, in words
 */
public record GoalResult(String goal, OptionalDouble measured, String unit, double low, double high, String basis) {

    /** Checks the fields. */
    public GoalResult {
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(basis, "basis");
    }

    /** PASS when the value lies in {@code [low, high]}, FAIL when outside, PENDING when not measured. */
    public Verdict verdict() {
        if (measured.isEmpty()) {
            return Verdict.PENDING;
        }
        double v = measured.getAsDouble();
        return v >= low && v <= high ? Verdict.PASS : Verdict.FAIL;
    }

    /** The measured value as text, e.g. {@code 1.93x} or {@code 91.2%}; {@code -} when pending. */
    public String measuredText() {
        return measured.isPresent() ? format(measured.getAsDouble()) : "-";
    }

    /** The target as text, e.g. {@code >= 1.90x} or {@code 90.0% .. 110.0%}. */
    public String targetText() {
        return Double.isInfinite(high) ? ">= " + format(low) : format(low) + " .. " + format(high);
    }

    private String format(double v) {
        return "%".equals(unit) ? Markdown.number(v * 100, 1) + "%" : Markdown.number(v, 2) + "x";
    }
}
