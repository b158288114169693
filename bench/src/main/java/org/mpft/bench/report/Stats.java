package org.mpft.bench.report;

import java.util.Collection;
import java.util.OptionalDouble;

/** Small statistics used by the report. */
public final class Stats {

    private Stats() {
    }

    /**
     * The median: the middle value, or the mean of the two middle values for an even count.
     *
     * @return empty for no values
     */
    public static OptionalDouble median(Collection<Double> values) {
        if (values.isEmpty()) {
            return OptionalDouble.empty();
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return OptionalDouble.of(sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
    }

    /**
     * {@code numerator / denominator}, empty when either is missing or the denominator is not positive.
     */
    public static OptionalDouble ratio(OptionalDouble numerator, OptionalDouble denominator) {
        if (numerator.isEmpty() || denominator.isEmpty() || denominator.getAsDouble() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(numerator.getAsDouble() / denominator.getAsDouble());
    }
}
