package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Chunk buffers where netty may not use {@code sun.misc.Unsafe}, as on Java 25 and later by default: this class
 * runs in a JVM of its own with {@code -Dio.netty.noUnsafe=true} (the {@code without-unsafe} execution of
 * this module's surefire), where a buffer that needs Unsafe fails at its creation.
 */
class ReusingChunkAllocatorWithoutUnsafeTest {

    private static final int MIB = 1 << 20;

    private final ReusingChunkAllocator allocator =
            new ReusingChunkAllocator(new PooledByteBufAllocator(true), 3L * 16 * MIB);

    @Test
    void nettyRunsWithoutUnsafeHere() {
        assertThat(PlatformDependent.hasUnsafe()).isFalse();
    }

    @Test
    void aChunkBufferTakesBytesGivesThemBackAndItsMemoryServesTheNextChunk() {
        byte[] bytes = new byte[5 * MIB];
        new java.util.Random(7).nextBytes(bytes);
        ByteBuf first = allocator.directBuffer(bytes.length, bytes.length);
        assertThat(first.isDirect()).isTrue();
        first.writeBytes(bytes);
        ByteBuffer view = first.nioBuffer();
        byte[] read = new byte[view.remaining()];
        view.get(read);
        assertThat(read).isEqualTo(bytes);
        first.release();
        assertThat(allocator.idleBytes()).isGreaterThanOrEqualTo(bytes.length);

        // the same memory, empty again: its old bytes are still there under the indices
        ByteBuf second = allocator.directBuffer(bytes.length, bytes.length);
        assertThat(allocator.idleBytes()).isZero();
        assertThat(second.readableBytes()).isZero();
        second.writerIndex(bytes.length);
        byte[] again = new byte[bytes.length];
        second.readBytes(again);
        assertThat(Arrays.equals(again, bytes)).as("the released buffer's memory was handed out again").isTrue();
        second.release();
    }

    @Test
    void aReleaseOverTheIdleCapFreesTheMemoryThroughNettysCleaner() {
        ReusingChunkAllocator capped = new ReusingChunkAllocator(new PooledByteBufAllocator(true), 16L * MIB);
        ByteBuf first = capped.directBuffer(16 * MIB, 16 * MIB);
        ByteBuf second = capped.directBuffer(16 * MIB, 16 * MIB);
        first.writeLong(1);
        second.writeLong(2);
        assertThat(first.release()).isTrue();
        assertThat(second.release()).isTrue(); // over the cap: freed, not kept
        assertThat(capped.idleBytes()).isEqualTo(16L * MIB);
    }
}
