package org.mpft.plugin.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The text an operator's Prometheus scrapes: names, HELP and TYPE, values, labels and their escaping. */
class PrometheusExpositionTest {

    @Test
    void everyEventShowsUnderItsName() throws Exception {
        MpftMetrics metrics = new MpftMetrics();
        Map<String, Boolean> links = new LinkedHashMap<>();
        links.put("10.0.0.2:7300", true);
        links.put("[fd00::3]:7300", false);
        metrics.readings(new InstanceReadings("primary", () -> 3, () -> 2, () -> 7, () -> 5, () -> 1,
                () -> links, () -> 9, () -> 8));
        metrics.bytesHeld(() -> 123_456, () -> 200_000);
        metrics.transferStarted();
        metrics.transferStarted();
        metrics.transferStarted();
        Map<String, Long> paths = new LinkedHashMap<>();
        paths.put("main", 3L << 20);
        paths.put("sec-1", 1L << 20);
        metrics.transferEnded(true, paths, 2_000_000_000L, 2); // 4 MiB in 2 s: 2 MiB/s
        metrics.transferEnded(false, Map.of("main", 100L), 1_000_000L, 1);
        metrics.chunkSent(1000, 400, true);
        metrics.chunkSent(500, 500, false);
        metrics.cacheHit();
        metrics.cacheMiss(10);
        metrics.cacheMiss(10);
        metrics.cacheBytes(() -> 4096);

        String text = text(metrics);

        assertThat(text).contains(
                "# HELP mpft_sessions Client sessions now, by state",
                "# TYPE mpft_sessions gauge\n",
                "mpft_sessions{state=\"authenticated\"} 3.0\n",
                "mpft_sessions{state=\"unauthenticated\"} 2.0\n",
                "# TYPE mpft_logins_total counter\n",
                "mpft_logins_total{result=\"ok\"} 7.0\n",
                "mpft_logins_total{result=\"failed\"} 5.0\n",
                "mpft_logins_total{result=\"locked\"} 1.0\n",
                "mpft_transfers_active 1.0\n",
                "mpft_transfers_total{result=\"done\"} 1.0\n",
                "mpft_transfers_total{result=\"failed\"} 1.0\n",
                "mpft_sent_bytes_total{role=\"primary\"} 1500.0\n",
                "mpft_path_bytes_total{path=\"main\"} 3145828.0\n",
                "mpft_path_bytes_total{path=\"sec-1\"} 1048576.0\n",
                "mpft_wire_bytes_total 900.0\n",
                "mpft_chunk_retries_total 3.0\n",
                "mpft_cluster_link_up{secondary=\"10.0.0.2:7300\"} 1.0\n",
                "mpft_cluster_link_up{secondary=\"[fd00::3]:7300\"} 0.0\n",
                "mpft_cache_hits_total 1.0\n",
                "mpft_cache_misses_total 2.0\n",
                "mpft_cache_bytes 4096.0\n",
                "mpft_bytes_held 123456.0\n",
                "mpft_address_validations_total{result=\"retry_sent\"} 9.0\n",
                "mpft_address_validations_total{result=\"validated\"} 8.0\n",
                "# TYPE mpft_transfer_throughput_bytes_per_second histogram\n",
                // 2 MiB/s: above 1 MiB/s, within 4 MiB/s; buckets are cumulative in the text format
                "mpft_transfer_throughput_bytes_per_second_bucket{le=\"1048576.0\"} 0\n",
                "mpft_transfer_throughput_bytes_per_second_bucket{le=\"4194304.0\"} 1\n",
                "mpft_transfer_throughput_bytes_per_second_bucket{le=\"+Inf\"} 1\n",
                "mpft_transfer_throughput_bytes_per_second_count 1\n",
                "mpft_transfer_throughput_bytes_per_second_sum 2097152.0\n");
    }

    @Test
    void everyMetricIsAnMpftNameWithHelpAndType() throws Exception {
        String text = text(new MpftMetrics());
        List<String> families = text.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
        // every family but the two whose series appear with their first path or secondary
        assertThat(families).hasSize(13).allMatch(name -> name.startsWith("mpft_"))
                .doesNotContain("mpft_path_bytes_total", "mpft_cluster_link_up");
        for (String family : families) {
            assertThat(text).containsPattern("(?m)^# HELP " + Pattern.quote(family) + " \\S");
        }
        for (String sample : text.lines().filter(l -> !l.startsWith("#")).toList()) {
            assertThat(sample).matches("mpft_[a-z_]+(\\{.*})? [-+0-9.eE]+|mpft_[a-z_]+(\\{.*})? \\+Inf");
        }
        // nothing happened: the counters are there with 0, so a dashboard sees them before the first event
        assertThat(text).contains("mpft_transfers_total{result=\"done\"} 0.0\n", "mpft_logins_total{result=\"ok\"} 0.0\n",
                "mpft_sent_bytes_total{role=\"primary\"} 0.0\n");
    }

    @Test
    void labelValuesAreEscaped() throws Exception {
        MpftMetrics metrics = new MpftMetrics();
        metrics.readings(new InstanceReadings("secondary", () -> 0, () -> 0, () -> 0, () -> 0, () -> 0,
                () -> Map.of("host\\name:1", true), () -> 0, () -> 0));
        metrics.transferStarted();
        // a path's name is a secondary's mpft.name: printable ASCII, quotes and backslashes included
        metrics.transferEnded(true, Map.of("odd\"name\\x", 42L), 1, 0);
        String text = text(metrics);
        assertThat(text).contains("mpft_path_bytes_total{path=\"odd\\\"name\\\\x\"} 42.0\n",
                "mpft_cluster_link_up{secondary=\"host\\\\name:1\"} 1.0\n",
                "mpft_sent_bytes_total{role=\"secondary\"} 0.0\n");
        Matcher quoted = Pattern.compile("\\{path=\"((?:[^\"\\\\]|\\\\.)*)\"}").matcher(text);
        assertThat(quoted.find()).isTrue();
        assertThat(quoted.group(1).replace("\\\"", "\"").replace("\\\\", "\\")).isEqualTo("odd\"name\\x");
    }

    static String text(MpftMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusExposition(metrics).write(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
