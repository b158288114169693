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
        ByteBuf big = allocator.directBuffer(16 * MIB, 16 * MIB);
        ByteBuf small = allocator.directBuffer(MIB, MIB);
        big.release();
        small.release();
        assertThat(allocator.idleBytes()).isEqualTo(17L * MIB);

        ByteBuf near = allocator.directBuffer(800 * 1024, 800 * 1024); // class 896 KiB: takes the 1 MiB, one up
        assertThat(allocator.idleBytes()).isEqualTo(16L * MIB);
        ByteBuf far = allocator.directBuffer(600 * 1024, 600 * 1024); // class 640 KiB: nothing fits, a new one
        assertThat(allocator.idleBytes()).isEqualTo(16L * MIB);
        ByteBuf notTheBigOne = allocator.directBuffer(MIB, MIB); // 16 MiB of memory for 1 MiB: not taken
        assertThat(allocator.idleBytes()).isEqualTo(16L * MIB);
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
        int[] sizes = {MIB, 3 * MIB / 2, 2 * MIB, 3 * MIB}; // four size classes, each held alone
        for (int size : sizes) {
            allocator.directBuffer(size, size).release();
        }
        // the first buffer's memory stayed; each later one would have made the idle memory more than was
        // ever in use at once (the largest single buffer), so it was freed
        assertThat(allocator.idleBytes()).isEqualTo(MIB);
    }

    @Test
    void smallAndGrowableBuffersComeFromTheOtherAllocatorAndAreNotKept() {
        ByteBuf small = allocator.directBuffer(4096, 4096);
        ByteBuf growable = allocator.directBuffer(MIB, 2 * MIB);
        growable.writeZero(MIB + 1); // grows: not a reused buffer
        assertThat(growable.capacity()).isGreaterThan(MIB);
        small.release();
        growable.release();
        assertThat(allocator.idleBytes()).isZero();
    }

    @Test
    void aReusedBufferRefusesToChangeItsCapacity() {
        ByteBuf buffer = allocator.directBuffer(MIB, MIB);
        try {
            assertThatThrownBy(() -> buffer.capacity(MIB / 2)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("1048576");
            assertThat(buffer.capacity(MIB).capacity()).isEqualTo(MIB);
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
                int size = MIB + t * 300 * 1024;
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
        // every class here (1, 1.5, 1.75, 2 MiB) is a multiple of 256 KiB: a lost or doubled count would show
        assertThat(allocator.idleBytes()).isPositive().isLessThanOrEqualTo(48L * MIB);
        assertThat(allocator.idleBytes() % (256 * 1024)).isZero();
    }
}
