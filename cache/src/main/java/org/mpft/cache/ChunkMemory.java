package org.mpft.cache;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory of the cache's chunk copies, reused: a full cache evicts a chunk for every chunk it stores, and
 * the evicted chunk's memory holds the next one instead of a fresh buffer that the JDK zeroes and the kernel
 * faults in (on a server streaming a file larger than the cache, that was a quarter of its read threads' time).
 * Memory given back waits in an idle list, at most {@code idleLimit} bytes; a request takes idle memory of at
 * least its length and at most a quarter more, else a new buffer. Thread-safe.
 */
final class ChunkMemory {

    private final boolean direct;
    private final long idleLimit;
    private final ConcurrentSkipListMap<Integer, ConcurrentLinkedDeque<ByteBuffer>> idle = new ConcurrentSkipListMap<>();
    private final AtomicLong idleBytes = new AtomicLong();

    /**
     * @param direct    direct (off-heap) buffers, else heap ones
     * @param idleLimit the most bytes kept idle
     */
    ChunkMemory(boolean direct, long idleLimit) {
        this.direct = direct;
        this.idleLimit = idleLimit;
    }

    /** Memory for a chunk of {@code length} bytes (its capacity may be larger; position 0, limit = capacity). */
    ByteBuffer take(int length) {
        int largest = (int) Math.min(Integer.MAX_VALUE, length + (long) length / 4);
        for (Map.Entry<Integer, ConcurrentLinkedDeque<ByteBuffer>> entry
                : idle.subMap(length, true, largest, true).entrySet()) {
            ByteBuffer memory = entry.getValue().pollFirst();
            if (memory != null) {
                idleBytes.addAndGet(-memory.capacity());
                return memory.clear();
            }
        }
        return direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
    }

    /** Memory no one reads any more: kept for the next chunk while under the limit, else left to the collector. */
    void giveBack(ByteBuffer memory) {
        int capacity = memory.capacity();
        if (idleBytes.addAndGet(capacity) > idleLimit) {
            idleBytes.addAndGet(-capacity);
            return;
        }
        idle.computeIfAbsent(capacity, c -> new ConcurrentLinkedDeque<>()).addFirst(memory);
    }

    /** Bytes idle now. */
    long idleBytes() {
        return idleBytes.get();
    }
}
