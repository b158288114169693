package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final InetAddress a = address("192.0.2.1");
    private final InetAddress b = address("192.0.2.2");

    private LoginThrottle throttle(int free, int maxKeys) {
        return new LoginThrottle(Duration.ofSeconds(1), Duration.ofSeconds(60), free, Duration.ofMinutes(15), maxKeys,
                now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void freeFailuresThenDoublingLocksUpToTheCap() {
        LoginThrottle t = throttle(2, 100);
        t.failed("alice", a);
        t.failed("alice", a);
        assertThat(t.waitFor("alice", a)).isZero();
        t.failed("alice", a); // 3rd: 1 s
        assertThat(t.waitFor("alice", a)).isEqualTo(Duration.ofSeconds(1));
        t.failed("alice", a); // 2 s
        assertThat(t.waitFor("alice", a)).isEqualTo(Duration.ofSeconds(2));
        t.failed("alice", a); // 4 s
        assertThat(t.waitFor("alice", a)).isEqualTo(Duration.ofSeconds(4));
        advance(Duration.ofMillis(1500));
        assertThat(t.waitFor("alice", a)).isEqualTo(Duration.ofMillis(2500));
        for (int i = 0; i < 100; i++) {
            t.failed("alice", a);
        }
        assertThat(t.waitFor("alice", a)).isEqualTo(Duration.ofSeconds(60)); // capped, no overflow
        advance(Duration.ofSeconds(60));
        assertThat(t.waitFor("alice", a)).isZero();
    }

    @Test
    void aUserIsThrottledFromEveryAddressAndAnAddressForEveryUser() {
        LoginThrottle t = throttle(0, 100);
        t.failed("alice", a);
        // the same user from another address: locked (distributed guessing against one account)
        assertThat(t.waitFor("alice", b)).isEqualTo(Duration.ofSeconds(1));
        // another user from the same address: locked (one address spraying many accounts)
        assertThat(t.waitFor("bob", a)).isEqualTo(Duration.ofSeconds(1));
        // another user from another address: free
        assertThat(t.waitFor("bob", b)).isZero();
    }

    @Test
    void aGoodLoginClearsTheUserButNotTheAddress() {
        LoginThrottle t = throttle(0, 100);
        t.failed("mallory", a);
        t.failed("alice", b);
        t.succeeded("alice");
        assertThat(t.waitFor("alice", b)).as("alice cleared; b still counts its failure").isEqualTo(Duration.ofSeconds(1));
        t.succeeded("mallory");
        assertThat(t.waitFor("carol", a)).as("a's failure stays").isEqualTo(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(2));
        assertThat(t.waitFor("alice", b)).isZero();
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        LoginThrottle t = throttle(1, 100);
        t.failed("alice", a);
        advance(Duration.ofMinutes(16));
        t.failed("alice", a); // counts as the first again: free
        assertThat(t.waitFor("alice", a)).isZero();
        t.failed("alice", a);
        assertThat(t.waitFor("alice", a)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void memoryIsBoundedWhateverTheNamesAndAddresses() throws Exception {
        LoginThrottle t = throttle(0, 50);
        String huge = "x".repeat(8000);
        for (int i = 0; i < 1000; i++) {
            t.failed(huge + i, InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}));
            assertThat(t.size()).isLessThanOrEqualTo(50);
        }
        // the most recent keys are the ones kept
        assertThat(t.waitFor(huge + 999, b)).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.waitFor(huge + 0, b)).isZero();
    }

    @Test
    void zeroBaseTurnsItOff() {
        LoginThrottle t = new LoginThrottle(Duration.ZERO, Duration.ZERO, 0, Duration.ofMinutes(1), 10, now::get);
        for (int i = 0; i < 50; i++) {
            t.failed("alice", a);
        }
        assertThat(t.waitFor("alice", a)).isZero();
        assertThat(t.size()).isZero();
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
