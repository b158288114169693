package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.host.OpenSsh;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.AuthToken;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Hello;
import org.mpft.protocol.ServerHello;
import org.mpft.transport.QuicTransport;

/**
 * A session offer's token is refused after its lifetime ({@code mpft.login-token-lifetime}, the shortest allowed
 * here): the offer comes from the real ssh against the demo host, and the token is presented only once the
 * lifetime has certainly passed since ssh returned (the token was minted before that), measured on the
 * machine's monotonic clock that the host's JVM uses too. The refused token counts as a failed login: with no
 * free failures, alice's right password is refused next, locked.
 */
@Timeout(120)
class SshTokenLifetimeIT {

    private static final Duration LIFETIME = Duration.ofMillis(100);

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(work -> HostProcess.User.withKey("alice", pub(work)).password("alice-pw"))
            .pluginProperty("mpft.login-token-lifetime", LIFETIME.toMillis() + "ms")
            .pluginProperty("mpft.auth-failure-delay", "0ms")
            .pluginProperty("mpft.auth.backoff.base", "60s")
            .pluginProperty("mpft.auth.backoff.max", "60s")
            .pluginProperty("mpft.auth.backoff.free-failures", "0")
            .quiet()
            .build();

    static QuicTransport transport;

    private static Path pub(Path work) throws IOException, InterruptedException {
        OpenSsh.ed25519Key(work, "key-alice");
        return work.resolve("key-alice.pub");
    }

    @BeforeAll
    static void start() {
        transport = QuicTransport.create("ssh-token-lifetime", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void aTokenIsRefusedAfterItsLifetimeAndCountsAsAFailedLogin() throws Exception {
        Process ssh = new ProcessBuilder("ssh", "-F", "/dev/null", "-p", Integer.toString(host.process().sftpPort()),
                "-i", host.work().resolve("key-alice").toString(), "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "alice@127.0.0.1", "mpft-offer").start();
        ssh.getOutputStream().close();
        String offer = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ssh.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long returned = System.nanoTime();
        assertThat(ssh.exitValue()).as(new String(ssh.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        String token = offer.lines().filter(l -> l.startsWith("token ")).findFirst().orElseThrow().substring(6);
        assertThat(offer).contains("expires-in-ms " + LIFETIME.toMillis());

        // the condition that makes the token expired: its whole lifetime has passed since it was minted
        Poll.until("the token's lifetime to pass", Duration.ofSeconds(30),
                () -> System.nanoTime() - returned > LIFETIME.toNanos(), () -> "");

        try (RawConnection c = new RawConnection(transport, host.port())) {
            c.send(new Hello(1, 0, "ssh-token-lifetime-it"));
            c.expect(ServerHello.class);
            c.send(new AuthToken("alice", Bytes.fromHex(token)));
            ErrorFrame refused = c.expect(ErrorFrame.class);
            assertThat(refused.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(refused.message()).as("refused for the token, not by a lock").doesNotContain("too many");
        }
        try (RawConnection c = new RawConnection(transport, host.port())) {
            c.send(new Hello(1, 0, "ssh-token-lifetime-it"));
            c.expect(ServerHello.class);
            c.send(new AuthPassword("alice", Bytes.of("alice-pw".getBytes(StandardCharsets.UTF_8))));
            ErrorFrame locked = c.expect(ErrorFrame.class);
            assertThat(locked.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(locked.message()).as("the throttle counted the token").contains("too many failed logins");
        }
    }
}
