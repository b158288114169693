package org.mpft.plugin.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputHistogramTest {

    @Test
    void eachValueLandsInTheFirstBucketWhoseBoundIsNotBelowIt() {
        ThroughputHistogram histogram = new ThroughputHistogram();
        histogram.record(0);
        histogram.record(65536); // on the first bound: still the first bucket
        histogram.record(65537);
        histogram.record(5e9); // above 4 GiB/s: the open bucket
        histogram.record(-1); // ignored
        histogram.record(Double.NaN); // ignored
        ThroughputHistogram.Snapshot s = histogram.snapshot();
        assertThat(s.upperBounds()).hasSize(10).startsWith(65536.0, 262144.0)
                .endsWith(4294967296.0, Double.POSITIVE_INFINITY);
        assertThat(s.counts()).containsExactly(2, 1, 0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(s.sum()).isEqualTo(0 + 65536 + 65537 + 5e9);
    }
}
