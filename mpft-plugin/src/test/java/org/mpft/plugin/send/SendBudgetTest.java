package org.mpft.plugin.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes held for sending: per connection, per instance, wake-ups, leases given back exactly once. */
class SendBudgetTest {

    private final List<String> woken = new ArrayList<>();

    @Test
    void aConnectionTakesNoMoreThanItsShareAndIsWokenOnceWhenBytesComeBack() {
        SendBudget instance = new SendBudget(1000);
        SendBudget.Connection c = instance.connection(300);
        SendBudget.Lease a = c.tryTake(200, () -> woken.add("a"));
        SendBudget.Lease b = c.tryTake(100, () -> woken.add("b"));
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(c.tryTake(1, () -> woken.add("c"))).isNull();
        assertThat(c.held()).isEqualTo(300);
        assertThat(instance.held()).isEqualTo(300);
        assertThat(woken).isEmpty();

        a.written();
        assertThat(a.isWritten()).isTrue();
        assertThat(woken).containsExactly("c");
        a.close(); // already given back: nothing
        a.written();
        assertThat(c.held()).isEqualTo(100);
        assertThat(woken).containsExactly("c");

        b.close();
        assertThat(b.isWritten()).isFalse();
        assertThat(instance.held()).isZero();
        assertThat(instance.peak()).isEqualTo(300);
    }

    @Test
    void theInstanceBoundHoldsOverAllConnectionsAndWakesTheOthers() {
        SendBudget instance = new SendBudget(500);
        SendBudget.Connection one = instance.connection(400);
        SendBudget.Connection two = instance.connection(400);
        SendBudget.Lease first = one.tryTake(400, () -> woken.add("one"));
        assertThat(first).isNotNull();
        assertThat(two.tryTake(200, () -> woken.add("two"))).isNull();
        assertThat(two.tryTake(100, () -> woken.add("two small"))).isNotNull();
        assertThat(instance.held()).isEqualTo(500);

        first.close();
        assertThat(woken).containsExactly("two");
        assertThat(instance.held()).isEqualTo(100);
    }

    @Test
    void aChunkLargerThanTheBoundPassesAloneSoItCanBeSentAtAll() {
        SendBudget instance = new SendBudget(100);
        SendBudget.Connection c = instance.connection(100);
        SendBudget.Lease big = c.tryTake(150, () -> woken.add("big"));
        assertThat(big).isNotNull();
        assertThat(c.tryTake(1, () -> woken.add("next"))).isNull();
        big.written();
        assertThat(woken).containsExactly("next");
    }

    @Test
    void aLeaseQueueStartsInOrderAndResumesWhenTheBudgetFrees() {
        SendBudget.Connection c = new SendBudget(1000).connection(250);
        LeaseQueue queue = new LeaseQueue(c);
        List<SendBudget.Lease> started = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            queue.submit(100, lease -> {
                order.add(n);
                started.add(lease);
            });
        }
        assertThat(order).containsExactly(0, 1);
        assertThat(queue.waiting()).isEqualTo(3);

        started.get(0).written();
        assertThat(order).containsExactly(0, 1, 2);
        started.get(1).close();
        started.get(2).close();
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(queue.waiting()).isZero();

        queue.close();
        queue.submit(100, lease -> order.add(99));
        assertThat(order).doesNotContain(99);
        started.forEach(SendBudget.Lease::close);
        assertThat(c.held()).isZero();
    }
}
