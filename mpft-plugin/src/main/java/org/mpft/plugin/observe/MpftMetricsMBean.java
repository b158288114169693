package org.mpft.plugin.observe;

import java.util.Map;

/**
 * The counters an admin reads over JMX (jconsole, VisualVM, a Prometheus JMX exporter), registered as
 * {@code org.mpft:type=Metrics,name=<mpft.name>} while the channel runs. Counters count since the channel
 * started.
 */
public interface MpftMetricsMBean {

    /** Transfers that ended with the client's DONE. */
    long getTransfersCompleted();

    /** Transfers that ended otherwise (cancelled, failed, connection lost). */
    long getTransfersFailed();

    /** Transfers running now. */
    long getTransfersActive();

    /** Chunk payload bytes handed to paths (resends included, before compression), by path name. */
    Map<String, Long> getBytesByPath();

    /** Chunk payload bytes in all, before compression. */
    long getBytesSent();

    /** Bytes on the chunk streams after compression (RAW chunks count their length). */
    long getBytesOnWire();

    /** Chunks sent compressed. */
    long getChunksCompressed();

    /** Chunk reads served from the chunk cache. */
    long getCacheHits();

    /** Chunk reads that went to the disk. */
    long getCacheMisses();

    /** {@code hits / (hits + misses)}, 0 before the first read. */
    double getCacheHitRate();

    /** Bytes held by the chunk cache now. */
    long getCacheBytes();

    /** Chunk buffer bytes held for sending now (read, not yet taken by QUIC), all connections. */
    long getBytesHeld();

    /** The most chunk buffer bytes held for sending at once so far. */
    long getBytesHeldPeak();

    /** Bytes read from files. */
    long getDiskBytesRead();

    /** Chunk failures (NACK, CHUNK_ERROR) that led to a resend. */
    long getRetries();
}
