package org.mpft.plugin.observe;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The instance's {@link MpftMetrics} in the Prometheus text format (version 0.0.4), read afresh at every
 * scrape. Every name starts with {@code mpft_}; label values are the instance's role, result words, the
 * configured secondaries and the paths' names ({@code primary} and the secondaries' {@code mpft.name}):
 * never a user name or a file path, so a client cannot grow the number of series.
 */
public final class PrometheusExposition {

    /** The content type of the text format. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false).build();

    private final MpftMetrics metrics;

    /** @param metrics the counters to show */
    public PrometheusExposition(MpftMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Writes every metric's HELP, TYPE and samples to {@code out} (not closed). */
    public void write(OutputStream out) throws IOException {
        WRITER.write(out, snapshots(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    /** Every metric as it is now. */
    MetricSnapshots snapshots() {
        InstanceReadings r = metrics.readings();
        List<MetricSnapshot> all = new ArrayList<>();
        all.add(GaugeSnapshot.builder().name("mpft_sessions")
                .help("Client sessions now, by state: authenticated (logged in, or attached with a ticket) or"
                        + " unauthenticated (connected, not logged in yet)")
                .dataPoint(gauge(r.sessionsAuthenticated().getAsLong(), "state", "authenticated"))
                .dataPoint(gauge(r.sessionsUnauthenticated().getAsLong(), "state", "unauthenticated")).build());
        all.add(CounterSnapshot.builder().name("mpft_logins")
                .help("Logins by result: ok (accepted), failed (refused by the host), locked (refused without"
                        + " asking the host: too many failed logins of the user or the address)")
                .dataPoint(counter(r.loginsOk().getAsLong(), "result", "ok"))
                .dataPoint(counter(r.loginsFailed().getAsLong(), "result", "failed"))
                .dataPoint(counter(r.loginsLocked().getAsLong(), "result", "locked")).build());
        all.add(GaugeSnapshot.builder().name("mpft_transfers_active").help("Transfers running now (primary)")
                .dataPoint(gauge(metrics.getTransfersActive())).build());
        all.add(CounterSnapshot.builder().name("mpft_transfers")
                .help("Finished transfers by result: done (ended with the client's DONE) or failed (cancelled,"
                        + " failed, connection lost) (primary)")
                .dataPoint(counter(metrics.getTransfersCompleted(), "result", "done"))
                .dataPoint(counter(metrics.getTransfersFailed(), "result", "failed")).build());
        all.add(CounterSnapshot.builder().name("mpft_sent_bytes")
                .help("Chunk payload bytes this instance sent on its own chunk streams, by its role (resends"
                        + " included, before compression)")
                .dataPoint(counter(metrics.payloadBytesSent(), "role", r.role())).build());
        CounterSnapshot.Builder paths = CounterSnapshot.builder().name("mpft_path_bytes")
                .help("Chunk payload bytes of finished transfers by the path that delivered them: primary (the"
                        + " primary's own) or a secondary's mpft.name (primary)");
        metrics.getBytesByPath().forEach((path, bytes) -> paths.dataPoint(counter(bytes, "path", path)));
        all.add(paths.build());
        all.add(CounterSnapshot.builder().name("mpft_wire_bytes")
                .help("Bytes on this instance's chunk streams after compression")
                .dataPoint(counter(metrics.getBytesOnWire())).build());
        all.add(CounterSnapshot.builder().name("mpft_chunk_retries")
                .help("Chunk failures (NACK, CHUNK_ERROR) that led to a resend, counted when their transfer"
                        + " ends (primary)")
                .dataPoint(counter(metrics.getRetries())).build());
        GaugeSnapshot.Builder links = GaugeSnapshot.builder().name("mpft_cluster_link_up")
                .help("A primary's cluster link to each configured secondary (host:port): 1 up, 0 down");
        r.clusterLinks().get().forEach((secondary, up) -> links.dataPoint(gauge(up ? 1 : 0, "secondary", secondary)));
        all.add(links.build());
        all.add(CounterSnapshot.builder().name("mpft_cache_hits").help("Chunk reads served from the chunk cache")
                .dataPoint(counter(metrics.getCacheHits())).build());
        all.add(CounterSnapshot.builder().name("mpft_cache_misses").help("Chunk reads that went to the disk")
                .dataPoint(counter(metrics.getCacheMisses())).build());
        all.add(GaugeSnapshot.builder().name("mpft_cache_bytes").help("Bytes held by the chunk cache now")
                .dataPoint(gauge(metrics.getCacheBytes())).build());
        all.add(GaugeSnapshot.builder().name("mpft_bytes_held").help("Chunk buffers read and not yet taken by QUIC"
                        + " now, bytes (bounded by mpft.max-bytes-held)")
                .dataPoint(gauge(metrics.getBytesHeld())).build());
        all.add(CounterSnapshot.builder().name("mpft_address_validations").help("QUIC address validation of new"
                        + " connections (mpft.address-validation): Retry packets sent, and tokens returned valid")
                .dataPoint(counter(r.retriesSent().getAsLong(), "result", "retry_sent"))
                .dataPoint(counter(r.retriesValidated().getAsLong(), "result", "validated")).build());
        ThroughputHistogram.Snapshot t = metrics.throughput();
        all.add(HistogramSnapshot.builder().name("mpft_transfer_throughput_bytes_per_second")
                .help("Throughput of each transfer that ended with DONE: the payload bytes of all its paths over"
                        + " its duration, bytes per second (primary)")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(t.upperBounds(), t.counts()))
                        .sum(t.sum()).build()).build());
        return new MetricSnapshots(all);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gauge(double value, String... labels) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(double value, String... labels) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
