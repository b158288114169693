package org.mpft.plugin.primary;

import org.mpft.plugin.schedule.AlternateStrategy;
import org.mpft.plugin.send.ChunkOutlet;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.Transfer;
import org.mpft.plugin.testsupport.CountingFile;
import org.mpft.plugin.testsupport.Pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mpft.api.Principal;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** The primary's path: window accounting, ACK/NACK through the coordinator, buffer ownership. */
class ChunkSenderTest {

    private static final int CHUNK = 4096;

    /** The resends of one chunk the coordinators of these tests allow before the transfer fails. */
    private static final int RESENDS = 16;

    /** A send budget these tests never reach (the budget has tests of its own). */
    private static final org.mpft.plugin.send.SendBudget UNBOUNDED =
            new org.mpft.plugin.send.SendBudget(Long.MAX_VALUE / 2);

    private final List<Sent> sent = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int aborts;

    private record Sent(ChunkHeader header, ByteBuf payload, Runnable onFailure) {
    }

    private final ChunkOutlet outlet = new ChunkOutlet() {
        @Override
        public void send(ChunkHeader header, ByteBuf payload, org.mpft.plugin.send.SendBudget.Lease lease,
                         Runnable onFailure) {
            sent.add(new Sent(header, payload, onFailure));
        }

        @Override
        public void abortAll() {
            aborts++;
        }
    };

    @AfterEach
    void releaseAll() {
        for (Sent s : sent) {
            if (s.payload().refCnt() > 0) {
                s.payload().release();
            }
        }
    }

    private ChunkSender sender(byte[] data, ChunkCoordinator coordinator, int window) {
        Transfer transfer = new Transfer(7, Principal.of("alice"), "f.bin", new CountingFile(data, 0),
                new ChunkPlan(data.length, CHUNK), ChecksumAlgorithm.SHA256, System.nanoTime());
        return new ChunkSender("primary", transfer, coordinator, Pipelines.reader(PooledByteBufAllocator.DEFAULT),
                outlet, Runnable::run, Runnable::run, window, (chunk, e) -> failures.add(chunk + ": " + e.getMessage()),
                null, UNBOUNDED.connection(Long.MAX_VALUE / 2));
    }

    @Test
    void keepsAtMostWindowChunksInFlight() {
        byte[] data = random(10 * CHUNK + 100);
        ChunkCoordinator coordinator = coordinator(11);
        ChunkSender sender = sender(data, coordinator, 4);
        coordinator.addPath(sender);
        coordinator.start(new BitSet());

        assertThat(sent).extracting(s -> s.header().chunk()).containsExactly(0, 1, 2, 3);
        assertThat(sender.inFlight()).isEqualTo(4);

        coordinator.acked(1);
        assertThat(sent).extracting(s -> s.header().chunk()).containsExactly(0, 1, 2, 3, 4);
        assertThat(sender.inFlight()).isEqualTo(4);

        for (int chunk : new int[] {0, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
            coordinator.acked(chunk);
        }
        assertThat(sent).hasSize(11);
        assertThat(sender.inFlight()).isZero();
        assertThat(coordinator.isComplete()).isTrue();
        assertThat(sender.bytesSent()).isEqualTo(data.length);
        assertThat(failures).isEmpty();
    }

    @Test
    void sendsExactlyTheBytesOfEachChunkWithTheirChecksum() {
        byte[] data = random(2 * CHUNK + 7);
        ChunkCoordinator coordinator = coordinator(3);
        coordinator.addPath(sender(data, coordinator, 8));
        coordinator.start(new BitSet());

        assertThat(sent).hasSize(3);
        for (Sent s : sent) {
            ChunkHeader h = s.header();
            assertThat(h.transferId()).isEqualTo(7);
            assertThat(h.offset()).isEqualTo((long) h.chunk() * CHUNK);
            assertThat(s.payload().readableBytes()).isEqualTo(h.length());
            byte[] bytes = new byte[h.length()];
            s.payload().getBytes(s.payload().readerIndex(), bytes);
            assertThat(bytes).isEqualTo(java.util.Arrays.copyOfRange(data, (int) h.offset(), (int) h.offset() + h.length()));
            assertThat(ChecksumAlgorithm.SHA256.verify(ByteBuffer.wrap(bytes), h.checksum().toByteArray())).isTrue();
            assertThat(s.payload().isDirect()).isTrue();
        }
        assertThat(sent.get(2).header().length()).isEqualTo(7);
    }

    @Test
    void skipsHeldChunksAndResendsNackedOnesFirst() throws Exception {
        byte[] data = random(6 * CHUNK);
        ChunkCoordinator coordinator = coordinator(6);
        coordinator.addPath(sender(data, coordinator, 2));
        BitSet held = new BitSet();
        held.set(0);
        held.set(3);
        coordinator.start(held);
        assertThat(sent).extracting(s -> s.header().chunk()).containsExactly(1, 2);

        coordinator.nacked(2);
        assertThat(sent).extracting(s -> s.header().chunk()).containsExactly(1, 2, 2);
        coordinator.acked(2);
        coordinator.acked(1);
        coordinator.acked(4);
        coordinator.acked(5);
        assertThat(sent).extracting(s -> s.header().chunk()).containsExactly(1, 2, 2, 4, 5);
        assertThat(coordinator.isComplete()).isTrue();
    }

    @Test
    void givesUpOnAChunkRejectedTooOften() throws Exception {
        ChunkCoordinator coordinator = coordinator(1);
        coordinator.addPath(sender(random(100), coordinator, 1));
        coordinator.start(new BitSet());
        for (int i = 0; i < RESENDS; i++) {
            coordinator.nacked(0);
        }
        assertThatThrownBy(() -> coordinator.nacked(0))
                .isInstanceOfSatisfying(MpftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CHUNK_CORRUPTION));
    }

    @Test
    void lateAndDuplicateAcksAreIgnored() {
        ChunkCoordinator coordinator = coordinator(2);
        ChunkSender sender = sender(random(2 * CHUNK), coordinator, 1);
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        assertThat(coordinator.acked(1)).isFalse(); // never sent
        assertThat(coordinator.acked(0)).isTrue();
        assertThat(coordinator.acked(0)).isFalse();
        assertThat(sender.inFlight()).isEqualTo(1);
    }

    @Test
    void aStoppedSenderReleasesWhatItReadAndSendsNothingMore() {
        ChunkCoordinator coordinator = coordinator(4);
        List<Runnable> loop = new ArrayList<>();
        Transfer transfer = new Transfer(7, Principal.of("alice"), "f.bin", new CountingFile(random(4 * CHUNK), 0),
                new ChunkPlan(4 * CHUNK, CHUNK), ChecksumAlgorithm.SHA256, System.nanoTime());
        List<ByteBuf> read = new ArrayList<>();
        ChunkReader reader = Pipelines.reader(new AbstractByteBufAllocator(true) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return Unpooled.buffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf b = Unpooled.directBuffer(initialCapacity, maxCapacity);
                read.add(b);
                return b;
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        });
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator, reader, outlet, Runnable::run,
                loop::add, 2, (c, e) -> failures.add(c + ""), null,
                UNBOUNDED.connection(Long.MAX_VALUE / 2));
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        assertThat(read).hasSize(2);

        sender.stop();
        loop.forEach(Runnable::run); // the reads come back to the loop after the stop
        assertThat(sent).isEmpty();
        assertThat(read).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(aborts).isEqualTo(1);
    }

    @Test
    void aFileThatShrankFailsTheChunk() {
        ChunkCoordinator coordinator = coordinator(2);
        Transfer transfer = new Transfer(7, Principal.of("alice"), "f.bin", new CountingFile(random(CHUNK), 0),
                new ChunkPlan(2 * CHUNK, CHUNK), ChecksumAlgorithm.SHA256, System.nanoTime());
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator,
                Pipelines.reader(PooledByteBufAllocator.DEFAULT), outlet, Runnable::run, Runnable::run, 2,
                (c, e) -> failures.add(c + ": " + e.getMessage()), null,
                UNBOUNDED.connection(Long.MAX_VALUE / 2));
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        assertThat(sent).extracting(s -> s.header().chunk()).containsExactly(0);
        assertThat(failures).singleElement().asString().startsWith("1: ").contains("f.bin", "shrank");
    }

    /** A single-path coordinator of {@code chunkCount} minimum-size chunks, {@value #RESENDS} resends. */
    private static ChunkCoordinator coordinator(int chunkCount) {
        return new ChunkCoordinator(new ChunkPlan((long) chunkCount * ChunkPlan.MIN_CHUNK_SIZE, ChunkPlan.MIN_CHUNK_SIZE),
                new AlternateStrategy(Integer.MAX_VALUE), RESENDS, System::nanoTime);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
