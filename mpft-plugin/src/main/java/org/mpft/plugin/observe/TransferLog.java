package org.mpft.plugin.observe;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicConnectionStats;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin's one line per finished transfer, on the logger {@value #LOGGER} (route it to its own file with
 * the host's logging configuration):
 *
 * <pre>
 * transfer 7 done: user=alice file=data/big.iso bytes=1073741824 paths=primary:536870912,sec-1:536870912
 *     duration=3.210s throughput=334.5MB/s retries=0 cache=128/128 disk=0 wire=536870912 compressed=0
 * </pre>
 *
 * (one line). {@code bytes} is the file's size; {@code paths} the payload bytes each path sent (resends and
 * endgame duplicates included, so their sum can exceed {@code bytes}); MB = 10^6 bytes. Values with spaces or
 * {@code =} are quoted.
 */
public final class TransferLog {

    /** The logger's name. */
    static final String LOGGER = "org.mpft.transfers";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private TransferLog() {
    }

    /**
     * Logs a finished transfer (INFO).
     *
     * @param outcome     {@code done}, {@code cancelled}, {@code failed} ...
     * @param transferId  the transfer
     * @param user        who downloaded
     * @param file        the requested path
     * @param bytes       the file's size
     * @param bytesByPath payload bytes per path, in path order
     * @param nanos       how long it ran, from META to the end
     * @param retries     chunk failures that led to a resend
     */
    public static void finished(String outcome, long transferId, String user, String file, long bytes,
                         Map<String, Long> bytesByPath, long nanos, int retries, ReadCounts reads) {
        LOG.info(line(outcome, transferId, user, file, bytes, bytesByPath, nanos, retries) + reads(reads));
    }

    /**
     * The QUIC connection's view of a transfer, on the same logger: packets sent (and their UDP payload bytes,
     * whose average per packet shows how full the packets were) and lost, bytes retransmitted, and the path's
     * smoothed round-trip time, congestion window and delivery rate. Loss here (a client's full socket buffer, a
     * shaped link) and a long round trip are what slow a transfer down.
     *
     * Logged when quiche has collected them, on the connection's event loop; nothing when it is closed.
     */
    public static void network(long transferId, QuicChannel connection) {
        connection.collectStats().addListener(stats -> {
            if (stats.isSuccess()) {
                connection.collectPathStats(0).addListener(path -> network(transferId,
                        (QuicConnectionStats) stats.getNow(),
                        path.isSuccess() ? (QuicConnectionPathStats) path.getNow() : null));
            }
        });
    }

    private static void network(long transferId, QuicConnectionStats stats, QuicConnectionPathStats path) {
        LOG.info(networkLine(transferId, stats.sent(), stats.sentBytes(), stats.lost(), stats.streamRetransBytes(),
                path == null ? -1 : path.rtt(), path == null ? -1 : path.cwnd(),
                path == null ? -1 : path.deliveryRate()));
    }

    /** The line {@link #network} logs; {@code rttNanos < 0} when the path's figures are unknown. */
    static String networkLine(long transferId, long sent, long sentBytes, long lost, long retransmittedBytes,
                              long rttNanos, long cwndBytes, long deliveryBytesPerSecond) {
        String path = rttNanos < 0 ? "" : String.format(Locale.ROOT, " rtt=%.2fms cwnd=%d deliveryRate=%.1fMB/s",
                rttNanos / 1e6, cwndBytes, deliveryBytesPerSecond / 1e6);
        return String.format(Locale.ROOT,
                "transfer %d network: packets sent=%d (%dB, %.0fB each) lost=%d (%.2f%%) retransmitted=%dB%s",
                transferId, sent, sentBytes, sent == 0 ? 0.0 : (double) sentBytes / sent, lost,
                sent == 0 ? 0.0 : lost * 100.0 / sent, retransmittedBytes, path);
    }

    /**
     * The primary's reads: {@code cache=hits/chunks disk=bytes wire=bytes compressed=chunks} (chunks read
     * here, of them from the cache; bytes read from the file; payload bytes after compression).
     */
    static String reads(ReadCounts c) {
        return " cache=" + c.cacheHits() + "/" + c.chunks() + " disk=" + c.diskBytes() + " wire=" + c.wireBytes()
                + " compressed=" + c.compressed();
    }

    /** The line {@link #finished} logs. */
    static String line(String outcome, long transferId, String user, String file, long bytes,
                       Map<String, Long> bytesByPath, long nanos, int retries) {
        long safeNanos = Math.max(1, nanos);
        String paths = bytesByPath.entrySet().stream().map(e -> quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(","));
        return String.format(Locale.ROOT,
                "transfer %d %s: user=%s file=%s bytes=%d paths=%s duration=%.3fs throughput=%.1fMB/s retries=%d",
                transferId, outcome, quote(user), quote(file), bytes, paths.isEmpty() ? "-" : paths, safeNanos / 1e9,
                bytes * 1e3 / safeNanos, retries);
    }

    private static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '"' && c != '='
                && c != ',' && c != '\\');
        if (plain) {
            return value;
        }
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7F) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
