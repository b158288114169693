package org.mpft.transport;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Direct buffers for whole chunks that are kept when released and handed out again, so that a chunk's memory is
 * allocated (zeroed by the JDK and faulted in) once per process instead of once per chunk.
 *
 * <p>Netty's pool gives an arena chunk back to the system as soon as nothing in it is used, which is what a
 * buffer as large as its arena chunk does at every release: a download's chunks each cost a fresh 16 MiB
 * allocation on both sides (the JDK's zeroing alone took half of the client's event loop on loopback). Here a
 * released buffer's memory goes to an idle list of its size class (quarter steps between powers of two, so a
 * buffer wastes at most a fifth of its memory) and the next request of that size takes it. The idle memory is
 * at most the most memory these buffers ever held at once (a process keeps what its busiest moment needed, not
 * more: buffers of many sizes do not pile up) and at most {@code idleLimit} bytes; a release over either bound
 * frees the memory at once.
 *
 * <p>Only fixed-size requests (initial capacity equals the maximum) of at least {@link #SMALLEST_REUSED} bytes
 * are served this way; a buffer from here cannot change its capacity. Smaller or growable buffers come from
 * {@code others}: smaller ones live well in netty's pool, where many share one arena chunk that a tree of
 * small files keeps busy (served here, each of their many sizes was a fresh allocation, and a tree download's
 * client took a third more CPU). Thread-safe: buffers are taken and released on any thread.
 */
final class ReusingChunkAllocator extends AbstractByteBufAllocator {

    /** The smallest buffer kept for reuse, bytes: a quarter of netty's 16 MiB arena chunk. */
    static final int SMALLEST_REUSED = 4 * 1024 * 1024;

    private final ByteBufAllocator others;
    private final long idleLimit;
    /** Idle memory by its capacity (a size class). */
    private final ConcurrentSkipListMap<Integer, ConcurrentLinkedDeque<ByteBuffer>> idle = new ConcurrentSkipListMap<>();
    private final AtomicLong idleBytes = new AtomicLong();
    /** Memory of reused buffers handed out and not released yet, bytes. */
    private final AtomicLong inUseBytes = new AtomicLong();
    /** The most {@link #inUseBytes} ever reached. */
    private final AtomicLong peakInUseBytes = new AtomicLong();

    /**
     * @param others    serves the requests this allocator does not keep (small or growable buffers)
     * @param idleLimit the most bytes kept idle for reuse
     */
    ReusingChunkAllocator(ByteBufAllocator others, long idleLimit) {
        super(true);
        this.others = others;
        this.idleLimit = idleLimit;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (initialCapacity != maxCapacity || initialCapacity < SMALLEST_REUSED) {
            return others.directBuffer(initialCapacity, maxCapacity);
        }
        ByteBuffer memory = takeIdle(initialCapacity);
        if (memory == null) {
            memory = ByteBuffer.allocateDirect(sizeClass(initialCapacity));
        }
        long inUse = inUseBytes.addAndGet(memory.capacity());
        peakInUseBytes.accumulateAndGet(inUse, Math::max);
        return new Reused(this, memory, initialCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /** Bytes held idle for reuse now. */
    long idleBytes() {
        return idleBytes.get();
    }

    /**
     * The capacity of the memory behind a buffer of {@code bytes}: {@code bytes} rounded up to a quarter step
     * between two powers of two (64 KiB, 80 KiB, 96 KiB, 112 KiB, 128 KiB, 160 KiB ...).
     */
    static int sizeClass(int bytes) {
        int power = Integer.highestOneBit(bytes);
        if (power == bytes || power < 4) {
            return bytes;
        }
        int step = power / 4;
        long rounded = ((long) bytes + step - 1) / step * step;
        return (int) Math.min(rounded, Integer.MAX_VALUE);
    }

    /** Idle memory for a buffer of {@code bytes}: of its own size class, or the next one up; null when none. */
    private ByteBuffer takeIdle(int bytes) {
        int wanted = sizeClass(bytes);
        int largest = wanted == Integer.MAX_VALUE ? wanted : sizeClass(wanted + 1);
        for (Map.Entry<Integer, ConcurrentLinkedDeque<ByteBuffer>> entry
                : idle.subMap(wanted, true, largest, true).entrySet()) {
            ByteBuffer memory = entry.getValue().pollFirst();
            if (memory != null) {
                idleBytes.addAndGet(-memory.capacity());
                return memory;
            }
        }
        return null;
    }

    /** A buffer's memory comes back: kept idle while under the cap, else freed. */
    private void giveBack(ByteBuffer memory) {
        int capacity = memory.capacity();
        inUseBytes.addAndGet(-capacity);
        if (idleBytes.addAndGet(capacity) > Math.min(idleLimit, peakInUseBytes.get())) {
            idleBytes.addAndGet(-capacity);
            PlatformDependent.freeDirectBuffer(memory);
            return;
        }
        memory.clear();
        idle.computeIfAbsent(capacity, c -> new ConcurrentLinkedDeque<>()).addFirst(memory);
    }

    /** A buffer over reused memory: its release gives the memory back instead of freeing it. */
    private static final class Reused extends UnpooledUnsafeDirectByteBuf {

        private final ReusingChunkAllocator owner;
        private ByteBuffer memory;

        Reused(ReusingChunkAllocator owner, ByteBuffer memory, int capacity) {
            super(owner, memory.duplicate().clear().limit(capacity), capacity);
            this.owner = owner;
            this.memory = memory;
            clear(); // the wrapping constructor makes the whole buffer readable; a new buffer is empty
        }

        @Override
        public ByteBuf capacity(int newCapacity) {
            if (newCapacity != capacity()) {
                throw new UnsupportedOperationException("a reused chunk buffer keeps its capacity of " + capacity()
                        + " bytes");
            }
            return this;
        }

        @Override
        protected void deallocate() {
            super.deallocate(); // frees nothing: the buffer was made over memory of the owner's
            ByteBuffer given = memory;
            memory = null;
            if (given != null) {
                owner.giveBack(given);
            }
        }
    }
}
