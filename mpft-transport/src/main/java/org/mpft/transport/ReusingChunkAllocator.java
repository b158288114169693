package org.mpft.transport;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;
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
    private final ConcurrentSkipListMap<Integer, ConcurrentLinkedDeque<CleanableDirectBuffer>> idle = new ConcurrentSkipListMap<>();
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
        CleanableDirectBuffer memory = takeIdle(initialCapacity);
        if (memory == null) {
            memory = PlatformDependent.allocateDirect(sizeClass(initialCapacity), true);
        }
        long inUse = inUseBytes.addAndGet(memory.buffer().capacity());
        peakInUseBytes.accumulateAndGet(inUse, Math::max);
        return wrap(memory, initialCapacity);
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
    private CleanableDirectBuffer takeIdle(int bytes) {
        int wanted = sizeClass(bytes);
        int largest = wanted == Integer.MAX_VALUE ? wanted : sizeClass(wanted + 1);
        for (Map.Entry<Integer, ConcurrentLinkedDeque<CleanableDirectBuffer>> entry
                : idle.subMap(wanted, true, largest, true).entrySet()) {
            CleanableDirectBuffer memory = entry.getValue().pollFirst();
            if (memory != null) {
                idleBytes.addAndGet(-memory.buffer().capacity());
                return memory;
            }
        }
        return null;
    }

    /** A buffer's memory comes back: kept idle while under the cap, else freed. */
    private void giveBack(CleanableDirectBuffer memory) {
        int capacity = memory.buffer().capacity();
        inUseBytes.addAndGet(-capacity);
        if (idleBytes.addAndGet(capacity) > Math.min(idleLimit, peakInUseBytes.get())) {
            idleBytes.addAndGet(-capacity);
            memory.clean();
            return;
        }
        memory.buffer().clear();
        idle.computeIfAbsent(capacity, c -> new ConcurrentLinkedDeque<>()).addFirst(memory);
    }

    /**
     * A buffer over reused memory: its release gives the memory back instead of freeing it. Netty's buffer that
     * reaches the memory through {@code sun.misc.Unsafe} where netty may use it; netty's plain one where it may
     * not (Java 25 and later by default, {@code -Dio.netty.noUnsafe=true}), which the other would fail on.
     */
    private ByteBuf wrap(CleanableDirectBuffer memory, int capacity) {
        Lease lease = new Lease(this, memory);
        return PlatformDependent.hasUnsafe() ? new Reused(lease, capacity) : new ReusedPlain(lease, capacity);
    }

    /** Refuses a change of a reused buffer's capacity. */
    private static void keepCapacity(ByteBuf buffer, int newCapacity) {
        if (newCapacity != buffer.capacity()) {
            throw new UnsupportedOperationException("a reused chunk buffer keeps its capacity of "
                    + buffer.capacity() + " bytes");
        }
    }

    /** The memory of one reused buffer, given back to its owner once. */
    private static final class Lease {
        private final ReusingChunkAllocator owner;
        private CleanableDirectBuffer memory;

        Lease(ReusingChunkAllocator owner, CleanableDirectBuffer memory) {
            this.owner = owner;
            this.memory = memory;
        }

        /** A view of the memory's first {@code capacity} bytes, for the buffer to wrap. */
        ByteBuffer view(int capacity) {
            return memory.buffer().duplicate().clear().limit(capacity);
        }

        void giveBack() {
            CleanableDirectBuffer given = memory;
            memory = null;
            if (given != null) {
                owner.giveBack(given);
            }
        }
    }

    private static final class Reused extends UnpooledUnsafeDirectByteBuf {

        private final Lease lease;

        Reused(Lease lease, int capacity) {
            super(lease.owner, lease.view(capacity), capacity);
            this.lease = lease;
            clear(); // the wrapping constructor makes the whole buffer readable; a new buffer is empty
        }

        @Override
        public ByteBuf capacity(int newCapacity) {
            keepCapacity(this, newCapacity);
            return this;
        }

        @Override
        protected void deallocate() {
            super.deallocate(); // frees nothing: the buffer was made over memory of the owner's
            lease.giveBack();
        }
    }

    private static final class ReusedPlain extends UnpooledDirectByteBuf {

        private final Lease lease;

        ReusedPlain(Lease lease, int capacity) {
            super(lease.owner, lease.view(capacity), capacity);
            this.lease = lease;
            clear(); // the wrapping constructor makes the whole buffer readable; a new buffer is empty
        }

        @Override
        public ByteBuf capacity(int newCapacity) {
            keepCapacity(this, newCapacity);
            return this;
        }

        @Override
        protected void deallocate() {
            super.deallocate(); // frees nothing: the buffer was made over memory of the owner's
            lease.giveBack();
        }
    }
}
