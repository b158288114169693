package org.mpft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The read hold on an embedded channel: the rule's clock is a fake one, the resume runs on the channel's
 * scheduler, whose time the test advances. Each {@code read(n)} is one wake-up of the event loop that found n
 * datagrams.
 */
class ReceiveCoalescingTest {

    private static final long HOLD = 500_000;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final EmbeddedChannel channel = new EmbeddedChannel(new ReceiveCoalescing(HOLD, 8, now::get));

    {
        channel.freezeTime();
    }

    private void read(int datagrams) {
        Object[] messages = new Object[datagrams];
        for (int i = 0; i < datagrams; i++) {
            messages[i] = "datagram " + i;
        }
        channel.writeInbound(messages);
        for (int i = 0; i < datagrams; i++) {
            assertThat((Object) channel.readInbound()).isEqualTo("datagram " + i); // passed on, in order
        }
    }

    private void later(long nanos) {
        now.addAndGet(nanos);
    }

    @Test
    void aTrickleOfSmallReadsHoldsTheNextReadThenResumes() {
        read(2);
        later(100_000);
        read(1);

        assertThat(channel.config().isAutoRead()).isFalse();
        channel.advanceTimeBy(HOLD - 1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();
        channel.advanceTimeBy(1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void theFirstReadAndAReadAfterAPauseAreNotHeldBack() {
        read(1);
        assertThat(channel.config().isAutoRead()).isTrue();

        later(2 * HOLD);
        read(1);

        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void burstsKeepReadingOnEvenWhenTheirLastReadIsSmall() {
        for (int burst = 0; burst < 20; burst++) {
            read(32);
            later(50_000);
            read(3); // the tail of the burst
            assertThat(channel.config().isAutoRead()).as("after burst %d", burst).isTrue();
            later(50_000);
        }
    }

    @Test
    void aTrickleAfterBurstsIsHeldOnceTheAverageIsSmall() {
        for (int burst = 0; burst < 5; burst++) {
            read(32);
            later(50_000);
        }
        int reads = 0;
        while (channel.config().isAutoRead()) {
            read(1);
            later(100_000);
            reads++;
            assertThat(reads).as("small reads before the first hold").isLessThan(10);
        }
        assertThat(reads).isGreaterThan(1); // the average of 32 had to come down first
    }

    @Test
    void fullReadsAreNeverHeld() {
        for (int i = 0; i < 50; i++) {
            read(8);
            later(10_000);
            assertThat(channel.config().isAutoRead()).isTrue();
        }
    }

    @Test
    void aHoldIsNotStackedOnAHold() {
        read(1);
        later(10_000);
        read(1);
        assertThat(channel.config().isAutoRead()).isFalse();
        later(10_000);
        read(1); // datagrams a read already under way delivers while reading is off
        channel.advanceTimeBy(HOLD, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1L); // nothing else scheduled
    }

    @Test
    void refusesANonPositiveHoldOrASmallFew() {
        assertThatThrownBy(() -> new ReceiveCoalescing(0, 8, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holdNanos");
        assertThatThrownBy(() -> new ReceiveCoalescing(HOLD, 1, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("few");
    }
}
