package org.mpft.plugin.schedule;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Strategy;

/** {@link ChunkTimeoutPolicy} and the chunk timeouts of {@link ChunkSchedule}, with a fake clock. */
class ChunkTimeoutTest {

    private static final int MIB = 1 << 20;
    private static final long MS = 1_000_000L;
    private static final ChunkTimeoutPolicy POLICY = new ChunkTimeoutPolicy(Duration.ofSeconds(2), 8);
    private final AtomicLong clock = new AtomicLong(5_000_000_000L);

    @Test
    void timeoutIsTheFloorForFastPathsAndAdaptsToSlowOnes() {
        // 100 MiB/s: a 1 MiB chunk takes 10 ms; 8 x 10 ms is far below the floor
        assertThat(POLICY.timeoutNanos(100.0 * MIB, MIB)).isEqualTo(2000 * MS);
        // 1 MiB/s: a chunk takes 1 s, the timeout is 8 s
        assertThat(POLICY.timeoutNanos(1.0 * MIB, MIB)).isEqualTo(8000 * MS);
        // a path ten times slower gets ten times the time: slow is not dead
        assertThat(POLICY.timeoutNanos(0.1 * MIB, MIB)).isEqualTo(80_000 * MS);
        // unmeasured: four floors
        assertThat(POLICY.timeoutNanos(0, MIB)).isEqualTo(8000 * MS);
        assertThat(POLICY.stalled(1)).isFalse();
        assertThat(POLICY.stalled(2)).isTrue();
        assertThat(ChunkTimeoutPolicy.DEFAULT.floor()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new ChunkTimeoutPolicy(Duration.ZERO, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkTimeoutPolicy(Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ChunkSchedule twoPaths(int chunks) {
        ChunkPlan plan = new ChunkPlan((long) chunks * MIB, MIB);
        ChunkSchedule schedule = new ChunkSchedule(plan, ChunkStrategy.of(Strategy.ALTERNATE, 2, MIB, new int[0]), 3, clock::get);
        schedule.addPath("primary", false);
        schedule.addPath("sec", true);
        schedule.start(new BitSet());
        schedule.digestsUpTo(chunks);
        return schedule;
    }

    @Test
    void aPathThatKeepsDeliveringNeverTimesOut() {
        ChunkSchedule schedule = twoPaths(40);
        // the secondary delivers one chunk every 100 ms (10 MiB/s): its timeout is the floor, never reached
        for (int round = 0; round < 10; round++) {
            int chunk = schedule.next(1);
            if (chunk < 0) {
                break;
            }
            clock.addAndGet(100 * MS);
            schedule.acked(chunk);
            assertThat(schedule.overdue(POLICY)).isEmpty();
        }
    }

    @Test
    void theOldestChunkOfASilentSecondaryTimesOutThenThePathCountsAsStalled() throws Exception {
        ChunkSchedule schedule = twoPaths(20);
        int first = schedule.next(1);
        clock.addAndGet(50 * MS);
        schedule.acked(first); // measured: 1 MiB in 50 ms
        List<Integer> held = List.of(schedule.next(1), schedule.next(1));
        int primaryChunk = schedule.next(0); // the primary's own chunks are not judged here
        assertThat(primaryChunk).isNotNegative();
        clock.addAndGet(1999 * MS);
        assertThat(schedule.overdue(POLICY)).isEmpty();
        clock.addAndGet(2 * MS);
        List<ChunkSchedule.Overdue> once = schedule.overdue(POLICY);
        assertThat(once).containsExactly(new ChunkSchedule.Overdue(1, held.get(0), 2000 * MS, false));
        assertThat(schedule.failed(1, held.get(0), ErrorCode.CHUNK_TIMEOUT))
                .isEqualTo(ChunkSchedule.Outcome.RETRY_SAME_PATH);
        assertThat(schedule.retriesUsed()).isEqualTo(1);
        // a second timeout needs another full timeout of silence
        clock.addAndGet(1000 * MS);
        assertThat(schedule.overdue(POLICY)).isEmpty();
        clock.addAndGet(1001 * MS);
        List<ChunkSchedule.Overdue> twice = schedule.overdue(POLICY);
        assertThat(twice).hasSize(1);
        assertThat(twice.get(0).stalled()).isTrue();
        List<Integer> moved = schedule.dropPath(1, ErrorCode.CHUNK_TIMEOUT);
        assertThat(moved).contains(held.get(1));
        assertThat(schedule.alive(1)).isFalse();
        assertThat(schedule.overdue(POLICY)).isEmpty();
        // the primary serves everything that is left
        schedule.acked(primaryChunk);
        while (!schedule.isComplete()) {
            int chunk = schedule.next(0);
            assertThat(chunk).as("%s", schedule).isNotNegative();
            schedule.acked(chunk);
        }
    }

    @Test
    void aDeliveryClearsTheTimeoutsInARow() throws Exception {
        ChunkSchedule schedule = twoPaths(20);
        int first = schedule.next(1);
        clock.addAndGet(50 * MS);
        schedule.acked(first);
        int a = schedule.next(1);
        int b = schedule.next(1);
        clock.addAndGet(2001 * MS);
        assertThat(schedule.overdue(POLICY)).singleElement().extracting(ChunkSchedule.Overdue::stalled).isEqualTo(false);
        schedule.failed(1, a, ErrorCode.CHUNK_TIMEOUT);
        clock.addAndGet(10 * MS);
        schedule.acked(b); // the path is alive after all
        int again = schedule.next(1);
        assertThat(again).isEqualTo(a);
        // b took 2 s: the measured rate fell to about 1 MiB/s, so the timeout grew to about 8 s
        clock.addAndGet(2001 * MS);
        assertThat(schedule.overdue(POLICY)).isEmpty();
        clock.addAndGet(8000 * MS);
        assertThat(schedule.overdue(POLICY)).singleElement().extracting(ChunkSchedule.Overdue::stalled).isEqualTo(false);
    }

    @Test
    void aSlowButSteadyPathGetsALongerTimeout() throws Exception {
        ChunkSchedule schedule = twoPaths(20);
        int first = schedule.next(1);
        clock.addAndGet(1000 * MS); // 1 MiB/s: timeout 8 s
        schedule.acked(first);
        schedule.next(1);
        clock.addAndGet(7000 * MS);
        assertThat(schedule.overdue(POLICY)).isEmpty();
        clock.addAndGet(1001 * MS);
        assertThat(schedule.overdue(POLICY)).singleElement()
                .extracting(ChunkSchedule.Overdue::timeoutNanos).isEqualTo(8000 * MS);
    }
}
