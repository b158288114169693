/**
 * What an admin sees of the plugin: {@link org.mpft.plugin.observe.MpftMetrics} (the instance's counters,
 * published over JMX as {@link org.mpft.plugin.observe.MpftMetricsMBean}, and the recent path speed the chunk
 * size policy uses), {@link org.mpft.plugin.observe.TransferLog} (one line per finished transfer on the
 * {@code org.mpft.transfers} logger, and its network line) and the {@link org.mpft.plugin.observe.ReadCounts}
 * of a transfer's reads. The same counters, with what the root hands over in
 * {@link org.mpft.plugin.observe.InstanceReadings} (sessions, logins, cluster links) and the
 * {@link org.mpft.plugin.observe.ThroughputHistogram}, are shown in the Prometheus text format by
 * {@link org.mpft.plugin.observe.PrometheusExposition} (the Prometheus Java client's model and text writer)
 * and served over HTTP by {@link org.mpft.plugin.observe.MetricsServer} when {@code mpft.metrics.bind} is set.
 */
package org.mpft.plugin.observe;
