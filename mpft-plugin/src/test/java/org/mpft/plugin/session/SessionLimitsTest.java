package org.mpft.plugin.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SessionLimitsTest {

    private static SessionLimits limits(int perUser) {
        return new SessionLimits(new LoginThrottle(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofMinutes(1),
                100, System::nanoTime), new PreLoginLimits(8, 4, Duration.ofSeconds(10), System::nanoTime), 1000,
                perUser, 10, 8);
    }

    @Test
    void sessionsInAllAreLimitedAcrossUsersAndFreedOnRelease() {
        SessionLimits limits = new SessionLimits(new LoginThrottle(Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
                Duration.ofMinutes(1), 100, System::nanoTime),
                new PreLoginLimits(8, 4, Duration.ofSeconds(10), System::nanoTime), 2, 5, 10, 8);
        SessionLimits.UserSession a = limits.enter("alice");
        assertThat(limits.enter("bob")).isNotNull();
        assertThat(limits.full()).isTrue();
        assertThat(limits.enter("carol")).as("a third session in all").isNull();
        a.close();
        assertThat(limits.full()).isFalse();
        SessionLimits.UserSession attached = limits.enterAttached();
        assertThat(attached).as("an attached session counts in all").isNotNull();
        assertThat(limits.enter("carol")).isNull();
        assertThat(limits.enterAttached()).isNull();
        attached.close();
        attached.close(); // idempotent
        assertThat(limits.enter("carol")).isNotNull();
    }

    @Test
    void aUserGetsAtMostItsSessionsAndReleasingFreesOne() {
        SessionLimits limits = limits(2);
        SessionLimits.UserSession a = limits.enter("alice");
        SessionLimits.UserSession b = limits.enter("alice");
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(limits.enter("alice")).isNull();
        assertThat(limits.enter("bob")).as("other users are not affected").isNotNull();
        a.close();
        a.close(); // idempotent: releases once
        assertThat(limits.sessionsOf("alice")).isEqualTo(1);
        assertThat(limits.enter("alice")).isNotNull();
        assertThat(limits.enter("alice")).isNull();
    }

    @Test
    void concurrentEntriesNeverExceedTheLimit() throws Exception {
        SessionLimits limits = limits(5);
        AtomicInteger admitted = new AtomicInteger();
        List<SessionLimits.UserSession> held = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 200; i++) {
            pool.execute(() -> {
                SessionLimits.UserSession s = limits.enter("alice");
                if (s != null) {
                    admitted.incrementAndGet();
                    held.add(s);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(admitted).hasValue(5);
        held.forEach(SessionLimits.UserSession::close);
        assertThat(limits.sessionsOf("alice")).isZero();
    }
}
