/**
 * What an admin sees of the plugin: {@link org.mpft.plugin.observe.MpftMetrics} (the instance's counters,
 * published over JMX as {@link org.mpft.plugin.observe.MpftMetricsMBean}, and the recent path speed the chunk
 * size policy uses), {@link org.mpft.plugin.observe.TransferLog} (one line per finished transfer on the
 * {@code org.mpft.transfers} logger, and its network line) and the {@link org.mpft.plugin.observe.ReadCounts}
 * of a transfer's reads.
 */
package org.mpft.plugin.observe;
