package org.mpft.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddCountIsTheMiddle() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).hasValue(2.0);
        assertThat(Stats.median(List.of(7.5))).hasValue(7.5);
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 100.0))).hasValue(3.5);
    }

    @Test
    void medianOfNothingIsEmpty() {
        assertThat(Stats.median(List.of())).isEmpty();
    }

    @Test
    void ratio() {
        assertThat(Stats.ratio(OptionalDouble.of(47.5), OptionalDouble.of(25))).hasValue(1.9);
        assertThat(Stats.ratio(OptionalDouble.empty(), OptionalDouble.of(25))).isEmpty();
        assertThat(Stats.ratio(OptionalDouble.of(1), OptionalDouble.empty())).isEmpty();
        assertThat(Stats.ratio(OptionalDouble.of(1), OptionalDouble.of(0))).isEmpty();
    }
}
