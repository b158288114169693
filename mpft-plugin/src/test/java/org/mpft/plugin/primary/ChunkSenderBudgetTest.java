package org.mpft.plugin.primary;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mpft.api.Principal;
import org.mpft.plugin.schedule.AlternateStrategy;
import org.mpft.plugin.send.ChunkOutlet;
import org.mpft.plugin.send.SendBudget;
import org.mpft.plugin.send.Transfer;
import org.mpft.plugin.testsupport.CountingFile;
import org.mpft.plugin.testsupport.Pipelines;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ChunkPlan;

/**
 * The primary's path under the connection's {@link SendBudget}: it reads no chunk the budget has no bytes
 * for, whatever the client ACKs; every lease comes back on every path (written, aborted, failed, stopped).
 * The outlet is a fake that keeps what it is given (a real one needs a QUIC connection; the QUIC side is
 * covered end to end by {@code MemoryBoundIT}) and counts the leases it holds.
 */
class ChunkSenderBudgetTest {

    private static final int CHUNK = ChunkPlan.MIN_CHUNK_SIZE;

    private record Held(ChunkHeader header, ByteBuf payload, SendBudget.Lease lease, Runnable onFailure) {
    }

    /** What the fake outlet holds: each chunk until the test writes it (QUIC took it) or the outlet aborts. */
    private final List<Held> held = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private final ChunkOutlet outlet = new ChunkOutlet() {
        @Override
        public void send(ChunkHeader header, ByteBuf payload, SendBudget.Lease lease, Runnable onFailure) {
            held.add(new Held(header, payload, lease, onFailure));
        }

        @Override
        public void abortAll() {
            for (Held h : List.copyOf(held)) {
                release(h, false);
            }
        }
    };

    @AfterEach
    void releaseAll() {
        // a release wakes the sender, which may read (and hold) another chunk
        while (leasesHeld() > 0) {
            List.copyOf(held).forEach(h -> release(h, false));
        }
    }

    private static void release(Held h, boolean written) {
        if (h.payload().refCnt() > 0) {
            h.payload().release();
        }
        if (written) {
            h.lease().written();
        } else {
            h.lease().close();
        }
    }

    private int leasesHeld() {
        return (int) held.stream().filter(h -> !h.lease().released()).count();
    }

    private ChunkSender sender(int chunks, ChunkCoordinator coordinator, int window, SendBudget.Connection budget) {
        byte[] data = new byte[chunks * CHUNK];
        new Random(3).nextBytes(data);
        Transfer transfer = new Transfer(7, Principal.of("alice"), "f.bin", new CountingFile(data, 0),
                new ChunkPlan(data.length, CHUNK), ChecksumAlgorithm.SHA256, System.nanoTime());
        return new ChunkSender("primary", transfer, coordinator, Pipelines.reader(PooledByteBufAllocator.DEFAULT),
                outlet, Runnable::run, Runnable::run, window, (c, e) -> failures.add(c + ": " + e.getMessage()),
                null, budget);
    }

    private static ChunkCoordinator coordinator(int chunks) {
        return new ChunkCoordinator(new ChunkPlan((long) chunks * CHUNK, CHUNK), new AlternateStrategy(Integer.MAX_VALUE),
                3, System::nanoTime);
    }

    @Test
    void earlyAcksFreeWindowSlotsButNoBytes() {
        SendBudget instance = new SendBudget(100L * CHUNK);
        SendBudget.Connection budget = instance.connection(3L * CHUNK);
        ChunkCoordinator coordinator = coordinator(20);
        ChunkSender sender = sender(20, coordinator, 8, budget);
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        assertThat(held).hasSize(3); // window 8, budget 3 chunks
        assertThat(budget.held()).isEqualTo(3L * CHUNK);

        // a client that ACKs chunks QUIC has not taken: the coordinator sees the lie, the budget holds anyway
        for (int chunk = 0; chunk < 3; chunk++) {
            assertThat(coordinator.ackedTooEarly(chunk)).as("chunk %d", chunk).isTrue();
        }
        for (int chunk = 0; chunk < 8; chunk++) {
            coordinator.acked(chunk);
        }
        assertThat(held).hasSize(3);
        assertThat(budget.held()).isEqualTo(3L * CHUNK);
        assertThat(instance.peak()).isEqualTo(3L * CHUNK);

        // QUIC takes one chunk: one more is read
        release(held.get(0), true);
        assertThat(held).hasSize(4);
        assertThat(budget.held()).isEqualTo(3L * CHUNK);
        assertThat(failures).isEmpty();
    }

    @Test
    void anAckAfterQuicTookTheChunkIsNoLie() {
        SendBudget.Connection budget = new SendBudget(100L * CHUNK).connection(10L * CHUNK);
        ChunkCoordinator coordinator = coordinator(4);
        ChunkSender sender = sender(4, coordinator, 2, budget);
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        assertThat(coordinator.ackedTooEarly(0)).isTrue();
        assertThat(coordinator.ackedTooEarly(3)).isFalse(); // not handed out: an ACK of it frees nothing
        release(held.get(0), true);
        assertThat(coordinator.ackedTooEarly(0)).isFalse();
        assertThat(coordinator.acked(0)).isTrue();
        assertThat(held).extracting(h -> h.header().chunk()).containsExactly(0, 1, 2);
    }

    @Test
    void everyLeaseComesBackWhenTheSenderStops() {
        SendBudget instance = new SendBudget(100L * CHUNK);
        SendBudget.Connection budget = instance.connection(4L * CHUNK);
        ChunkCoordinator coordinator = coordinator(10);
        ChunkSender sender = sender(10, coordinator, 8, budget);
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        assertThat(leasesHeld()).isEqualTo(4);

        sender.stop(); // a cancel, DONE, the session failing: the outlet aborts its streams
        assertThat(leasesHeld()).isZero();
        assertThat(held).allSatisfy(h -> assertThat(h.payload().refCnt()).isZero());
        assertThat(instance.held()).isZero();
    }

    @Test
    void aFailedStreamOrReadGivesItsBytesBack() {
        SendBudget.Connection budget = new SendBudget(100L * CHUNK).connection(2L * CHUNK);
        ChunkCoordinator coordinator = coordinator(3);
        byte[] data = new byte[CHUNK]; // the file shrank: chunks 1 and 2 cannot be read
        Transfer transfer = new Transfer(7, Principal.of("alice"), "f.bin", new CountingFile(data, 0),
                new ChunkPlan(3L * CHUNK, CHUNK), ChecksumAlgorithm.SHA256, System.nanoTime());
        ChunkSender sender = new ChunkSender("primary", transfer, coordinator,
                Pipelines.reader(PooledByteBufAllocator.DEFAULT), outlet, Runnable::run, Runnable::run, 3,
                (c, e) -> failures.add(c + ""), null, budget);
        coordinator.addPath(sender);
        coordinator.start(new BitSet());
        assertThat(failures).containsExactly("1", "2");
        assertThat(held).hasSize(1);
        assertThat(budget.held()).isEqualTo(CHUNK);

        release(held.get(0), false); // the stream was reset before QUIC took it all
        assertThat(budget.held()).isZero();
    }
}
