package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunk buffers whose memory is kept at release and handed out again, under a cap on idle memory. */
class ReusingChunkAllocatorTest {

    private static final int MIB = 1 << 20;

    private final ReusingChunkAllocator allocator =
            new ReusingChunkAllocator(new PooledByteBufAllocator(true), 3L * 16 * MIB);

    @Test
    void aReleasedChunkBuffersMemoryServesTheNextChunkOfItsSize() {
        ByteBuf first = allocator.directBuffer(16 * MIB, 16 * MIB);
        long address = first.memoryAddress();
        first.release();
        assertThat(allocator.idleBytes()).isEqualTo(16L * MIB);

        ByteBuf second = allocator.directBuffer(16 * MIB, 16 * MIB);
        assertThat(second.memoryAddress()).isEqualTo(address);
        assertThat(allocator.idleBytes()).isZero();
        second.release();
    }

    @Test
    void aReusedBufferIsEmptyWithExactlyTheCapacityAskedFor() {
        ByteBuf first = allocator.directBuffer(5 * MIB, 5 * MIB);
        first.writeBytes(new byte[] {1, 2, 3});
        first.release();

        ByteBuf second = allocator.directBuffer(5 * MIB - 7, 5 * MIB - 7); // the same size class
        assertThat(second.capacity()).isEqualTo(5 * MIB - 7);
        assertThat(second.maxCapacity()).isEqualTo(5 * MIB - 7);
        assertThat(second.readableBytes()).isZero();
        assertThat(second.writableBytes()).isEqualTo(5 * MIB - 7);
        assertThat(allocator.idleBytes()).isZero();
        second.writeZero(5 * MIB - 7);
        assertThat(second.isWritable()).isFalse();
        second.release();
    }

    @Test
    void aRequestTakesIdleMemoryOfItsOwnSizeClassOrTheNextOneUpOnly() {
        ByteBuf big = allocator.directBuffer(32 * MIB, 32 * MIB);
        ByteBuf small = allocator.directBuffer(8 * MIB, 8 * MIB);
        big.release();
        small.release();
        assertThat(allocator.idleBytes()).isEqualTo(40L * MIB);

        ByteBuf near = allocator.directBuffer(6400 * 1024, 6400 * 1024); // class 7 MiB: takes the 8 MiB, one up
        assertThat(allocator.idleBytes()).isEqualTo(32L * MIB);
        ByteBuf far = allocator.directBuffer(4800 * 1024, 4800 * 1024); // class 5 MiB: nothing fits, a new one
        assertThat(allocator.idleBytes()).isEqualTo(32L * MIB);
        ByteBuf notTheBigOne = allocator.directBuffer(8 * MIB, 8 * MIB); // 32 MiB of memory for 8 MiB: not taken
        assertThat(allocator.idleBytes()).isEqualTo(32L * MIB);
        near.release();
        far.release();
        notTheBigOne.release();
    }

    @Test
    void idleMemoryOverTheCapIsFreed() {
        List<ByteBuf> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(allocator.directBuffer(16 * MIB, 16 * MIB));
        }
        held.forEach(ByteBuf::release);
        assertThat(allocator.idleBytes()).isEqualTo(48L * MIB);
    }

    @Test
    void idleMemoryNeverExceedsTheMostThatWasInUseAtOnce() {
        int[] sizes = {4 * MIB, 6 * MIB, 8 * MIB, 12 * MIB}; // four size classes, each held alone
        for (int size : sizes) {
            allocator.directBuffer(size, size).release();
        }
        // the first buffer's memory stayed; each later one would have made the idle memory more than was
        // ever in use at once (the largest single buffer), so it was freed
        assertThat(allocator.idleBytes()).isEqualTo(4L * MIB);
    }

    @Test
    void smallAndGrowableBuffersComeFromTheOtherAllocatorAndAreNotKept() {
        ByteBuf small = allocator.directBuffer(4096, 4096);
        ByteBuf underTheLeastReused = allocator.directBuffer(4 * MIB - 1, 4 * MIB - 1);
        ByteBuf growable = allocator.directBuffer(4 * MIB, 8 * MIB);
        growable.writeZero(4 * MIB + 1); // grows: not a reused buffer
        assertThat(growable.capacity()).isGreaterThan(4 * MIB);
        small.release();
        underTheLeastReused.release();
        growable.release();
        assertThat(allocator.idleBytes()).isZero();
    }

    @Test
    void aReusedBufferRefusesToChangeItsCapacity() {
        ByteBuf buffer = allocator.directBuffer(4 * MIB, 4 * MIB);
        try {
            assertThatThrownBy(() -> buffer.capacity(MIB)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("4194304");
            assertThat(buffer.capacity(4 * MIB).capacity()).isEqualTo(4 * MIB);
        } finally {
            buffer.release();
        }
    }

    @Test
    void sizeClassesAreQuarterStepsBetweenPowersOfTwo() {
        assertThat(ReusingChunkAllocator.sizeClass(64 * 1024)).isEqualTo(64 * 1024);
        assertThat(ReusingChunkAllocator.sizeClass(64 * 1024 + 1)).isEqualTo(80 * 1024);
        assertThat(ReusingChunkAllocator.sizeClass(100 * 1024)).isEqualTo(112 * 1024);
        assertThat(ReusingChunkAllocator.sizeClass(16 * MIB)).isEqualTo(16 * MIB);
        assertThat(ReusingChunkAllocator.sizeClass(9 * MIB)).isEqualTo(10 * MIB);
        assertThat(ReusingChunkAllocator.sizeClass(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void buffersTakenAndReleasedOnManyThreadsKeepTheIdleCountExact() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int size = 4 * MIB + t * 1200 * 1024;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        ByteBuf buffer = allocator.directBuffer(size, size);
                        buffer.writeInt(i);
                        assertThat(buffer.readInt()).isEqualTo(i);
                        buffer.release();
                    }
                    return null;
                }));
            }
            for (Future<?> each : work) {
                each.get();
            }
        } finally {
            threads.shutdown();
        }
        // every class here (4, 6, 7, 8 MiB) is a multiple of 256 KiB: a lost or doubled count would show
        assertThat(allocator.idleBytes()).isPositive().isLessThanOrEqualTo(48L * MIB);
        assertThat(allocator.idleBytes() % (256 * 1024)).isZero();
    }
}
