package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The counts the metrics read: logins by outcome (the throttle) and live sessions (the session limits). */
class LoginCountsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void theThrottleCountsGoodFailedAndLockedLogins() throws Exception {
        InetAddress a = InetAddress.getByName("192.0.2.1");
        LoginThrottle t = new LoginThrottle(Duration.ofSeconds(1), Duration.ofSeconds(60), 1,
                Duration.ofMinutes(15), 100, now::get);
        assertThat(t.waitFor("alice", a)).isZero(); // asked, not locked: no count
        t.succeeded("alice");
        t.failed("bob", a);
        t.failed("bob", a); // the second failure locks bob and the address for 1 s
        assertThat(t.waitFor("bob", a)).isPositive();
        assertThat(t.waitFor("carol", a)).isPositive(); // the address is locked too
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(t.waitFor("bob", a)).isZero();
        assertThat(t.successes()).isEqualTo(1);
        assertThat(t.failures()).isEqualTo(2);
        assertThat(t.lockedOut()).isEqualTo(2);
    }

    @Test
    void failuresCountWithTheBackOffTurnedOff() throws Exception {
        LoginThrottle off = new LoginThrottle(Duration.ZERO, Duration.ZERO, 0, Duration.ofMinutes(15), 100, now::get);
        off.failed("bob", InetAddress.getByName("192.0.2.1"));
        assertThat(off.failures()).isEqualTo(1);
        assertThat(off.lockedOut()).isZero();
    }

    @Test
    void sessionsCountsLoggedInAndAttachedSessionsUntilTheyClose() {
        SessionLimits limits = new SessionLimits(new LoginThrottle(Duration.ZERO, Duration.ZERO, 0,
                Duration.ofMinutes(1), 100, now::get), new PreLoginLimits(8, 4, Duration.ofSeconds(10), now::get),
                10, 10, 10, 8);
        SessionLimits.UserSession alice = limits.enter("alice");
        SessionLimits.UserSession attached = limits.enterAttached();
        assertThat(limits.sessions()).isEqualTo(2);
        alice.close();
        alice.close(); // idempotent
        assertThat(limits.sessions()).isEqualTo(1);
        attached.close();
        assertThat(limits.sessions()).isZero();
    }
}
