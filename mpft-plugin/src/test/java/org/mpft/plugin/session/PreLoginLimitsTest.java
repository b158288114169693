package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PreLoginLimitsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private PreLoginLimits limits(int total, int perSource) {
        return new PreLoginLimits(total, perSource, Duration.ofSeconds(10), now::get);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void oneSourceGetsAtMostItsBudgetAndOthersAreNotAffected() throws Exception {
        PreLoginLimits limits = limits(100, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.admit(ip("192.0.2.1"))).isNotNull();
        }
        assertThat(limits.admit(ip("192.0.2.1"))).as("a fourth from the same address").isNull();
        assertThat(limits.admit(ip("192.0.2.2"))).as("another address").isNotNull();
        assertThat(limits.from(ip("192.0.2.1"))).isEqualTo(3);
        assertThat(limits.total()).isEqualTo(4);
    }

    @Test
    void ipv6SourcesAreCountedPerSlash64() throws Exception {
        PreLoginLimits limits = limits(100, 2);
        assertThat(limits.admit(ip("2001:db8:1:2::1"))).isNotNull();
        assertThat(limits.admit(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"))).isNotNull();
        assertThat(limits.admit(ip("2001:db8:1:2:abcd::9"))).as("a third address of the same /64").isNull();
        assertThat(limits.admit(ip("2001:db8:1:3::1"))).as("the next /64").isNotNull();
        assertThat(limits.from(ip("2001:db8:1:2::77"))).isEqualTo(2);
    }

    @Test
    void theBudgetInAllHoldsAcrossSources() throws Exception {
        PreLoginLimits limits = limits(3, 2);
        assertThat(limits.admit(ip("192.0.2.1"))).isNotNull();
        assertThat(limits.admit(ip("192.0.2.2"))).isNotNull();
        assertThat(limits.admit(null)).as("a peer without an IP address counts in all").isNotNull();
        assertThat(limits.admit(ip("192.0.2.3"))).as("over the budget in all").isNull();
        assertThat(limits.total()).isEqualTo(3);
    }

    @Test
    void aPlaceIsFreedOnceWhenItsConnectionLogsInOrCloses() throws Exception {
        PreLoginLimits limits = limits(2, 2);
        PreLoginLimits.Admission loggedIn = limits.admit(ip("192.0.2.1"));
        PreLoginLimits.Admission closed = limits.admit(ip("192.0.2.1"));
        assertThat(limits.admit(ip("192.0.2.1"))).isNull();
        loggedIn.release();
        loggedIn.release(); // idempotent: a login then a close release once
        assertThat(limits.total()).isEqualTo(1);
        assertThat(limits.from(ip("192.0.2.1"))).isEqualTo(1);
        closed.release();
        assertThat(limits.total()).isZero();
        assertThat(limits.from(ip("192.0.2.1"))).isZero();
        assertThat(limits.admit(ip("192.0.2.1"))).isNotNull();
        assertThat(limits.admit(ip("192.0.2.1"))).isNotNull();
    }

    @Test
    void theLoginDeadlineRunsFromAdmission() throws Exception {
        PreLoginLimits limits = limits(10, 10);
        PreLoginLimits.Admission idle = limits.admit(ip("192.0.2.1"));
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        PreLoginLimits.Admission late = limits.admit(ip("192.0.2.1"));
        assertThat(idle.remaining()).isEqualTo(Duration.ofSeconds(6));
        assertThat(idle.expired()).isFalse();
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(idle.expired()).as("10 s after admission").isTrue();
        assertThat(late.expired()).isFalse();
        assertThat(late.remaining()).isEqualTo(Duration.ofSeconds(4));
        PreLoginLimits.Admission loggedIn = late;
        loggedIn.release();
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(loggedIn.expired()).as("a logged-in connection has no deadline").isFalse();
    }

    @Test
    void connectionsOverTheBudgetGetBoundedRefusedPlacesThatAreFreedWhenTheyClose() throws Exception {
        PreLoginLimits limits = limits(2, 2);
        assertThat(limits.admit(ip("192.0.2.1"))).isNotNull();
        assertThat(limits.admit(ip("192.0.2.1"))).isNotNull();
        assertThat(limits.admit(ip("192.0.2.2"))).as("over the total").isNull();
        PreLoginLimits.Admission refused = limits.admitRefused();
        assertThat(refused.refused()).isTrue();
        assertThat(refused.remaining()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.admitRefused()).isNotNull();
        assertThat(limits.admitRefused()).as("as many refused as the total budget, no more").isNull();
        assertThat(limits.total()).as("refused places do not count as admitted").isEqualTo(2);
        refused.release();
        refused.release();
        assertThat(limits.refused()).isEqualTo(1);
        assertThat(limits.total()).isEqualTo(2);
        assertThat(limits.admitRefused()).isNotNull();
    }
}
