package org.mpft.plugin.observe;

import org.mpft.plugin.schedule.ChunkSizePolicy;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's counters ({@link MpftMetricsMBean}), updated from any thread, published over JMX by
 * {@link #register} and in the Prometheus text format by {@link PrometheusExposition} (with the
 * {@link InstanceReadings} the wiring hands over and the {@link ThroughputHistogram} of finished transfers).
 * Also keeps the recent throughput of finished transfers, which {@link ChunkSizePolicy} uses as the paths' speed.
 */
public final class MpftMetrics implements MpftMetricsMBean {

    private static final Logger LOG = LoggerFactory.getLogger(MpftMetrics.class);

    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong active = new AtomicLong();
    private final Map<String, LongAdder> bytesByPath = new ConcurrentHashMap<>();
    private final LongAdder bytesOnWire = new LongAdder();
    private final LongAdder chunksCompressed = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LongAdder diskBytes = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final AtomicLong recentPathSpeed = new AtomicLong();
    private final LongAdder payloadSent = new LongAdder();
    private final ThroughputHistogram throughput = new ThroughputHistogram();
    private volatile LongSupplier cacheBytes = () -> 0L;
    private volatile InstanceReadings readings = InstanceReadings.NONE;
    private volatile LongSupplier bytesHeld = () -> 0L;
    private volatile LongSupplier bytesHeldPeak = () -> 0L;
    private ObjectName registered;

    /** Where {@link #getCacheBytes()} comes from. */
    public void cacheBytes(LongSupplier supplier) {
        this.cacheBytes = supplier;
    }

    /** What the metrics read from the instance's other parts (sessions, logins, cluster links). */
    public void readings(InstanceReadings readings) {
        this.readings = Objects.requireNonNull(readings, "readings");
    }

    /** The instance's readings ({@link InstanceReadings#NONE} until the wiring hands them over). */
    public InstanceReadings readings() {
        return readings;
    }

    /** Where {@link #getBytesHeld()} and {@link #getBytesHeldPeak()} come from (the instance's send budget). */
    public void bytesHeld(LongSupplier now, LongSupplier peak) {
        this.bytesHeld = now;
        this.bytesHeldPeak = peak;
    }

    /** A transfer started (START): it counts as active until {@link #transferEnded}. */
    public void transferStarted() {
        active.incrementAndGet();
    }

    /**
     * A transfer ended.
     *
     * @param ok           true when it ended with DONE
     * @param bytesByPath  payload bytes per path name
     * @param nanos        how long it ran
     * @param retries      chunk failures
     */
    public void transferEnded(boolean ok, Map<String, Long> bytesByPath, long nanos, int retries) {
        active.decrementAndGet();
        (ok ? completed : failed).increment();
        long total = 0;
        for (Map.Entry<String, Long> e : bytesByPath.entrySet()) {
            this.bytesByPath.computeIfAbsent(e.getKey(), k -> new LongAdder()).add(e.getValue());
            total += e.getValue();
        }
        this.retries.add(retries);
        if (ok && nanos > 0) {
            throughput.record(total * 1e9 / nanos);
        }
        if (ok && total >= ChunkSizePolicy.SPEED_SAMPLE_MIN_BYTES && nanos > 0 && !bytesByPath.isEmpty()) {
            long perPath = (long) (total * 1e9 / nanos / bytesByPath.size());
            // exponentially weighted: the latest transfer counts for a quarter
            recentPathSpeed.updateAndGet(old -> old == 0 ? perPath : (old * 3 + perPath) / 4);
        }
    }

    /**
     * A chunk was read for sending.
     *
     * @param length        its bytes
     * @param encodedLength its bytes on the wire (after compression)
     * @param compressed    true when it travels compressed
     */
    public void chunkSent(int length, int encodedLength, boolean compressed) {
        payloadSent.add(length);
        bytesOnWire.add(encodedLength);
        if (compressed) {
            chunksCompressed.increment();
        }
    }

    /** A chunk came from the cache. */
    public void cacheHit() {
        cacheHits.increment();
    }

    /** A chunk was read from its file: {@code diskBytesRead} bytes. */
    public void cacheMiss(int diskBytesRead) {
        cacheMisses.increment();
        diskBytes.add(diskBytesRead);
    }

    /** Chunk payload bytes this instance read for its own chunk streams (resends included, before compression). */
    public long payloadBytesSent() {
        return payloadSent.sum();
    }

    /** The throughput of the transfers that ended with DONE. */
    public ThroughputHistogram.Snapshot throughput() {
        return throughput.snapshot();
    }

    /** The recent speed of one path, bytes per second, from finished transfers; 0 when none was measured. */
    public long recentPathSpeed() {
        return recentPathSpeed.get();
    }

    @Override
    public long getTransfersCompleted() {
        return completed.sum();
    }

    @Override
    public long getTransfersFailed() {
        return failed.sum();
    }

    @Override
    public long getTransfersActive() {
        return active.get();
    }

    @Override
    public Map<String, Long> getBytesByPath() {
        Map<String, Long> copy = new TreeMap<>();
        bytesByPath.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    @Override
    public long getBytesSent() {
        return bytesByPath.values().stream().mapToLong(LongAdder::sum).sum();
    }

    @Override
    public long getBytesOnWire() {
        return bytesOnWire.sum();
    }

    @Override
    public long getChunksCompressed() {
        return chunksCompressed.sum();
    }

    @Override
    public long getCacheHits() {
        return cacheHits.sum();
    }

    @Override
    public long getCacheMisses() {
        return cacheMisses.sum();
    }

    @Override
    public double getCacheHitRate() {
        long h = cacheHits.sum();
        long total = h + cacheMisses.sum();
        return total == 0 ? 0.0 : (double) h / total;
    }

    @Override
    public long getCacheBytes() {
        return cacheBytes.getAsLong();
    }

    @Override
    public long getBytesHeld() {
        return bytesHeld.getAsLong();
    }

    @Override
    public long getBytesHeldPeak() {
        return bytesHeldPeak.getAsLong();
    }

    @Override
    public long getDiskBytesRead() {
        return diskBytes.sum();
    }

    @Override
    public long getRetries() {
        return retries.sum();
    }

    /**
     * Publishes the counters as {@code org.mpft:type=Metrics,name=<name>} on the platform MBean server
     * (replacing a stale registration of the same name). A failure is logged, not thrown: metrics never
     * stop the channel.
     */
    public synchronized void register(String name) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName objectName = objectName(name);
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
            server.registerMBean(new StandardMBean(this, MpftMetricsMBean.class), objectName);
            registered = objectName;
        } catch (JMException | RuntimeException e) {
            LOG.warn("cannot publish the mpft counters over JMX: {}", e.toString());
        }
    }

    /** Removes the JMX registration, if any. */
    public synchronized void unregister() {
        if (registered != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
            } catch (JMException | RuntimeException e) {
                LOG.debug("cannot unregister {}", registered, e);
            }
            registered = null;
        }
    }

    static ObjectName objectName(String name) throws JMException {
        return new ObjectName("org.mpft", java.util.Map.of("type", "Metrics", "name", ObjectName.quote(name))
                .entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        Map.Entry::getValue, (a, b) -> a, java.util.Hashtable::new)));
    }
}
