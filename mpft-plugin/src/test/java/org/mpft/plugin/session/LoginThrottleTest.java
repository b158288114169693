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

    @Test
    void oneLoginOfAUserFromASourceAtATimeTheOthersAreBusy() {
        LoginThrottle t = throttle(3, 100);
        LoginThrottle.Start first = t.begin("alice", a);
        assertThat(first).isInstanceOf(LoginThrottle.Attempt.class);
        // parallel connections of the same user from the same source: busy at once, the host is not asked
        assertThat(t.begin("alice", a)).isInstanceOf(LoginThrottle.Busy.class);
        assertThat(t.begin("alice", a)).isInstanceOf(LoginThrottle.Busy.class);
        // another user from that source, the same user from another source: checked
        assertThat(t.begin("bob", a)).isInstanceOf(LoginThrottle.Attempt.class);
        assertThat(t.begin("alice", b)).isInstanceOf(LoginThrottle.Attempt.class);
        ((LoginThrottle.Attempt) first).succeeded();
        assertThat(t.begin("alice", a)).as("free again once the first ended").isInstanceOf(LoginThrottle.Attempt.class);
    }

    @Test
    void anAttemptIsAFailureUnlessTheHostSaidOkAndTheNextOneSeesTheLock() {
        LoginThrottle t = throttle(0, 100);
        LoginThrottle.Attempt guess = (LoginThrottle.Attempt) t.begin("alice", a);
        guess.failed();
        guess.succeeded(); // ends once: a later call changes nothing
        // the failure was recorded in the step that ended the attempt: the next parallel guess is locked
        assertThat(t.begin("alice", a)).isEqualTo(new LoginThrottle.Locked(Duration.ofSeconds(1)));
        assertThat(t.inProgress()).isZero();
        advance(Duration.ofSeconds(1));
        LoginThrottle.Attempt next = (LoginThrottle.Attempt) t.begin("alice", a);
        assertThat(t.begin("alice", a)).as("one guess per lock window").isInstanceOf(LoginThrottle.Busy.class);
        next.failed();
        assertThat(t.begin("alice", a)).isEqualTo(new LoginThrottle.Locked(Duration.ofSeconds(2)));
    }

    @Test
    void anAbandonedAttemptCountsNothingAndASucceededOneClearsTheUser() {
        LoginThrottle t = throttle(0, 100);
        ((LoginThrottle.Attempt) t.begin("alice", a)).abandoned();
        assertThat(t.waitFor("alice", a)).isZero();
        assertThat(t.size()).isZero();
        t.failed("alice", b);
        advance(Duration.ofSeconds(1));
        ((LoginThrottle.Attempt) t.begin("alice", a)).succeeded();
        assertThat(t.waitFor("alice", a)).isZero();
        assertThat(t.inProgress()).isZero();
    }

    @Test
    void ipv6SourcesAreOneSourcePerSlash64() {
        LoginThrottle t = throttle(0, 100);
        t.failed("mallory", address("2001:db8:1:2::1"));
        // another address of the same /64: the same source
        assertThat(t.waitFor("bob", address("2001:db8:1:2:ffff::9"))).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.begin("bob", address("2001:db8:1:2:abcd::1"))).isInstanceOf(LoginThrottle.Locked.class);
        // another /64: another source
        assertThat(t.waitFor("bob", address("2001:db8:1:3::1"))).isZero();
        LoginThrottle.Attempt inFlight = (LoginThrottle.Attempt) t.begin("carol", address("2001:db8:9:9::1"));
        assertThat(t.begin("carol", address("2001:db8:9:9::2"))).as("same user, same /64: busy")
                .isInstanceOf(LoginThrottle.Busy.class);
        inFlight.abandoned();
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
