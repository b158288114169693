package org.mpft.plugin.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LinkLiveness} on a fake clock and a fake scheduler: no sleeps, no event loop. */
class LinkLivenessTest {

    private static final long MS = 1_000_000;

    /** A clock the test moves and a scheduler that runs what is due when the test moves it. */
    private static final class FakeTime implements LinkLiveness.Scheduler {
        long now = 5_000 * MS;
        final List<long[]> dueAt = new ArrayList<>();
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void schedule(Runnable task, long delayMillis) {
            dueAt.add(new long[] {now + delayMillis * MS});
            tasks.add(task);
        }

        /** Moves the clock to {@code millis} from now, running each task at its time. */
        void advance(long millis) {
            long end = now + millis * MS;
            while (true) {
                int next = -1;
                for (int i = 0; i < tasks.size(); i++) {
                    if (dueAt.get(i)[0] <= end && (next < 0 || dueAt.get(i)[0] < dueAt.get(next)[0])) {
                        next = i;
                    }
                }
                if (next < 0) {
                    break;
                }
                now = Math.max(now, dueAt.remove(next)[0]);
                tasks.remove(next).run();
            }
            now = end;
        }
    }

    private static final class Events implements LinkLiveness.Peer {
        final List<Long> pings = new ArrayList<>();
        final List<Long> silences = new ArrayList<>();
        final List<Long> slow = new ArrayList<>();

        @Override
        public void ping(long sequence) {
            pings.add(sequence);
        }

        @Override
        public void silent(long silentMillis) {
            silences.add(silentMillis);
        }

        @Override
        public void slow(long roundTripMillis) {
            slow.add(roundTripMillis);
        }
    }

    private final FakeTime time = new FakeTime();
    private final Events events = new Events();
    private final LinkLiveness liveness = new LinkLiveness(Duration.ofSeconds(2), () -> time.now, time, events);

    @Test
    void pingsEveryQuarterOfTheTimeoutWhileTheSecondaryAnswers() {
        liveness.start();
        for (int i = 0; i < 40; i++) {
            time.advance(500);
            liveness.heard(); // the pong, at once
        }
        assertThat(events.pings).hasSize(40).startsWith(0L, 1L, 2L).endsWith(39L);
        assertThat(events.silences).isEmpty();
    }

    @Test
    void aSecondaryThatFallsSilentIsDownWithinTheTimeoutAndOnePeriod() {
        liveness.start();
        time.advance(1_000);
        liveness.heard();
        time.advance(1_999);
        assertThat(events.silences).isEmpty();
        time.advance(501); // 2.5 s after the last frame: the check at 2 s judged
        assertThat(events.silences).containsExactly(2_000L);
        int pings = events.pings.size();
        time.advance(10_000);
        assertThat(events.silences).as("said once").hasSize(1);
        assertThat(events.pings).as("no pings after the verdict").hasSize(pings);
    }

    @Test
    void aSlowAnswerWithinTheTimeoutKeepsTheLinkUp() {
        liveness.start();
        for (int i = 0; i < 10; i++) {
            time.advance(1_900); // a loaded secondary: every answer 1.9 s after the one before
            liveness.heard();
        }
        assertThat(events.silences).isEmpty();
    }

    @Test
    void aPongThatTakesAPeriodOrMoreIsReportedAsSlow() {
        liveness.start();
        time.advance(500); // ping 0 at 0.5 s
        time.advance(20);
        liveness.answered(0);
        time.advance(480); // ping 1 at 1.0 s
        time.advance(499);
        liveness.answered(1);
        assertThat(events.slow).as("answers within a period").isEmpty();
        time.advance(1); // ping 2 at 1.5 s
        time.advance(1_200); // pings 3 and 4 at 2.0 and 2.5 s
        liveness.answered(2);
        assertThat(events.slow).containsExactly(1_200L);
        liveness.answered(-1);
        liveness.answered(99);
        assertThat(events.slow).as("no ping of ours").containsExactly(1_200L);
        assertThat(events.silences).isEmpty();
    }

    @Test
    void anyFrameCountsAsAnAnswer() {
        liveness.start();
        for (int i = 0; i < 20; i++) {
            time.advance(300);
            liveness.heard(); // CHUNK_SENT and friends, no pong
        }
        assertThat(events.silences).isEmpty();
    }

    @Test
    void aCheckThatRunsLateDoesNotJudgeButTheNextOneOnTimeDoes() {
        liveness.start();
        time.now += 3_000 * MS; // the primary's own event loop was held up for 3 s: the check runs late
        time.advance(0);
        assertThat(events.silences).isEmpty();
        assertThat(events.pings).containsExactly(0L);
        liveness.heard(); // what waited in the socket meanwhile
        time.advance(500);
        assertThat(events.silences).isEmpty();
        time.advance(2_000);
        assertThat(events.silences).containsExactly(2_000L);
    }

    @Test
    void stoppedMeansNoPingsAndNoVerdict() {
        liveness.start();
        time.advance(500);
        liveness.stop();
        time.advance(10_000);
        assertThat(events.pings).containsExactly(0L);
        assertThat(events.silences).isEmpty();
    }

    @Test
    void pingsGoEveryQuarterOfTheLinkTimeoutAndAtMostEvery100Ms() {
        assertThat(LinkLiveness.period(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
        assertThat(LinkLiveness.period(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(100));
    }
}
