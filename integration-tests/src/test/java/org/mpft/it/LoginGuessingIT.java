package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.Hello;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.QuicTransport;

/**
 * Password guessing over many parallel connections gets one guess per lock window: every connection of the
 * guesser (one user, one address) is past HELLO before any of them sends its AUTH, then all send it at
 * once; the host is asked exactly once (the demo host logs every check it refuses: "login refused: user
 * ..."), the others are answered at once, busy (LIMIT_EXCEEDED) while that check runs and locked
 * (AUTHENTICATION_FAILED) after it failed. With no free failures and a lock far longer than the test, a
 * second host check could only come from a guess let through in parallel.
 */
@Timeout(300)
class LoginGuessingIT {

    private static final int GUESSES = 24;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("dave", "dave-pw"))
            .pluginProperty("mpft.auth-failure-delay", "100ms")
            .pluginProperty("mpft.auth.backoff.base", "60s")
            .pluginProperty("mpft.auth.backoff.max", "60s")
            .pluginProperty("mpft.auth.backoff.free-failures", "0")
            .pluginProperty("mpft.max-unauthenticated-per-source", "64")
            .quiet()
            .build();

    static QuicTransport transport;

    @BeforeAll
    static void start() {
        transport = QuicTransport.create("guessing", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void parallelWrongPasswordsForOneUserFromOneAddressGetOneHostCheckPerLockWindow() throws Exception {
        List<RawConnection> guessers = new ArrayList<>();
        try {
            for (int i = 0; i < GUESSES; i++) {
                RawConnection c = new RawConnection(transport, host.port());
                guessers.add(c);
                c.send(new Hello(1, 0, "guesser"));
                c.expect(ServerHello.class);
            }
            for (int i = 0; i < GUESSES; i++) {
                guessers.get(i).send(new AuthPassword("dave",
                        Bytes.of(("guess-" + i).getBytes(StandardCharsets.UTF_8))));
            }
            int busy = 0;
            int refused = 0;
            for (RawConnection c : guessers) {
                Frame answer = c.frames.poll(60, TimeUnit.SECONDS);
                assertThat(answer).as("every guess is answered (never a hang)").isInstanceOf(ErrorFrame.class);
                ErrorCode code = ((ErrorFrame) answer).code();
                assertThat(code).isIn(ErrorCode.LIMIT_EXCEEDED, ErrorCode.AUTHENTICATION_FAILED);
                if (code == ErrorCode.LIMIT_EXCEEDED) {
                    busy++;
                } else {
                    refused++;
                }
            }
            assertThat(busy + refused).isEqualTo(GUESSES);
            String log = host.output();
            assertThat(count(log, "login refused: user 'dave'")).as("host checks, in\n" + log).isEqualTo(1);
            assertThat(log).contains("login of 'dave' from");
            // the lock holds for later guesses too, and the real password is refused without a host check
            try (RawConnection late = new RawConnection(transport, host.port())) {
                late.send(new Hello(1, 0, "guesser"));
                late.expect(ServerHello.class);
                late.send(new AuthPassword("dave", Bytes.of("dave-pw".getBytes(StandardCharsets.UTF_8))));
                ErrorFrame locked = late.expect(ErrorFrame.class);
                assertThat(locked.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                assertThat(locked.message()).contains("too many failed logins");
            }
            assertThat(count(host.output(), "login refused: user 'dave'")).isEqualTo(1);
        } finally {
            guessers.forEach(RawConnection::close);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
