package org.mpft.plugin.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingRegistrationsTest {

    @Test
    void anEndThatOvertakesItsRegistrationWaitsForIt() {
        PendingRegistrations pending = new PendingRegistrations();
        pending.started(1);
        pending.started(2);
        assertThat(pending.endWhenRegistered(1)).as("under way: ended by its registration").isTrue();
        assertThat(pending.endWhenRegistered(3)).as("not under way: ended now").isFalse();
        assertThat(pending.finished(1)).as("made after its end").isTrue();
        assertThat(pending.finished(2)).as("not ended").isFalse();
        assertThat(pending.size()).isZero();
        assertThat(pending.endWhenRegistered(1)).as("made and forgotten: an end now is an end now").isFalse();
    }

    @Test
    void registrationsMadeAfterTheLinkClosedEnd() {
        PendingRegistrations pending = new PendingRegistrations();
        pending.started(7);
        pending.linkGone();
        assertThat(pending.finished(7)).isTrue();
    }
}
