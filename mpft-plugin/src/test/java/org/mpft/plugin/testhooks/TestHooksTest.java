package org.mpft.plugin.testhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;

/** The test-only fault hooks: off unless a system property is set; corrupt once per chunk; stall; hold. */
class TestHooksTest {

    private static ChunkHeader header(long transfer, int chunk) {
        return new ChunkHeader(transfer, chunk, chunk * 8L, 8, Encoding.RAW, 8, ChecksumAlgorithm.SHA256,
                Bytes.of(new byte[32]));
    }

    private static ByteBuf payload() {
        return Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }

    @Test
    void offUnlessTheSystemPropertyIsSet() {
        // the build never sets them: production code sees no hooks
        assertThat(System.getProperty(TestHooks.CORRUPT_CHUNKS)).isNull();
        assertThat(System.getProperty(TestHooks.STALL_AFTER_CHUNKS)).isNull();
        assertThat(System.getProperty(TestHooks.HOLD_CHUNKS_UNTIL)).isNull();
        assertThat(System.getProperty(TestHooks.HOLD_AFTER_CHUNKS)).isNull();
        assertThat(TestHooks.active()).isNull();
    }

    @Test
    void listedChunksAreCorruptedOncePerTransferOnACopy() {
        TestHooks hooks = new TestHooks(Set.of(3), -1);
        ByteBuf original = payload();
        ByteBuf sent = hooks.beforeSend(header(1, 3), original);
        assertThat(sent).isNotSameAs(original);
        assertThat(original.refCnt()).isZero();
        byte[] bytes = new byte[8];
        sent.getBytes(0, bytes);
        assertThat(bytes).isNotEqualTo(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        sent.release();

        ByteBuf again = payload();
        assertThat(hooks.beforeSend(header(1, 3), again)).isSameAs(again); // the re-fetch is good
        ByteBuf other = payload();
        assertThat(hooks.beforeSend(header(1, 4), other)).isSameAs(other);
        ByteBuf nextTransfer = payload();
        ByteBuf damaged = hooks.beforeSend(header(2, 3), nextTransfer);
        assertThat(damaged).isNotSameAs(nextTransfer);
        damaged.release();
    }

    @Test
    void stallSwallowsEveryChunkAfterTheFirstN() {
        TestHooks hooks = new TestHooks(Set.of(), 2);
        ByteBuf a = payload();
        ByteBuf b = payload();
        ByteBuf c = payload();
        assertThat(hooks.beforeSend(header(1, 0), a)).isSameAs(a);
        assertThat(hooks.beforeSend(header(1, 1), b)).isSameAs(b);
        assertThat(hooks.beforeSend(header(1, 2), c)).isNull();
        assertThat(c.refCnt()).isZero();
    }

    @Test
    void chunksAreHeldWhileTheHoldFileIsMissing(@TempDir Path dir) throws Exception {
        Path gate = dir.resolve("release");
        TestHooks hooks = new TestHooks(Set.of(), -1, gate, 0);
        assertThat(hooks.holdsChunks()).isTrue();
        Files.createFile(gate);
        assertThat(hooks.holdsChunks()).isFalse();
        ByteBuf payload = payload();
        assertThat(hooks.beforeSend(header(1, 0), payload)).isSameAs(payload); // released: sent unchanged
        payload.release();
        Files.delete(gate);
        assertThat(hooks.holdsChunks()).as("held again once the file is gone").isTrue();

        assertThat(new TestHooks(Set.of(3), 2).holdsChunks()).as("no hold file: never held").isFalse();
    }

    @Test
    void holdAfterChunksLetsTheFirstNThroughThenHoldsUntilTheFileExists(@TempDir Path dir) throws Exception {
        Path gate = dir.resolve("release");
        TestHooks hooks = new TestHooks(Set.of(), -1, gate, 3);
        assertThat(hooks.holdsChunks()).as("chunk 1 of 3").isFalse();
        assertThat(hooks.holdsChunks()).as("chunk 2 of 3").isFalse();
        assertThat(hooks.holdsChunks()).as("chunk 3 of 3").isFalse();
        assertThat(hooks.holdsChunks()).as("the 4th waits").isTrue();
        assertThat(hooks.holdsChunks()).as("and keeps waiting").isTrue();
        Files.createFile(gate);
        assertThat(hooks.holdsChunks()).as("released").isFalse();
        assertThat(hooks.holdsChunks()).isFalse();
        Files.delete(gate);
        assertThat(hooks.holdsChunks()).as("the N are counted once, not per release").isTrue();

        assertThat(new TestHooks(Set.of(), -1, null, 3).holdsChunks()).as("no hold file: never held").isFalse();
    }

    @Test
    void holdAfterChunksLetsExactlyNThroughFromManyThreads(@TempDir Path dir) throws Exception {
        TestHooks hooks = new TestHooks(Set.of(), -1, dir.resolve("release"), 50);
        AtomicInteger through = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 40; i++) {
                    if (!hooks.holdsChunks()) {
                        through.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(through.get()).isEqualTo(50);
    }
}
