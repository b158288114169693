package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.client.DownloadResult;
import org.mpft.client.ProgressListener;
import org.mpft.protocol.FrameType;
import org.mpft.transport.QuicTransport;

/**
 * Connections that finish the TLS handshake and then say nothing (no HELLO, no login) cannot lock real
 * users out: they do not count against {@code mpft.max-sessions}, one source gets a budget of them
 * ({@code mpft.max-unauthenticated-per-source}, here above {@code mpft.max-sessions} so that the held ones
 * alone would fill it if they counted there), and each is closed at the login deadline
 * ({@code mpft.login-timeout}). The idle connections come from 127.0.0.2, the real client from 127.0.0.1.
 * The QUIC idle timeout is far longer than the test's patience: only the login deadline closes them.
 */
class PreLoginLimitsIT {

    private static final int IDLE = 200;
    private static final int PER_SOURCE = 100;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", "alice-pw"))
            .pluginProperty("mpft.max-sessions", "64")
            .pluginProperty("mpft.max-unauthenticated-per-source", Integer.toString(PER_SOURCE))
            .pluginProperty("mpft.login-timeout", "3s")
            .pluginProperty("mpft.idle-timeout", "600s")
            .quiet()
            .build();

    static QuicTransport transport;
    static byte[] bytes;

    @BeforeAll
    static void start() throws Exception {
        bytes = new byte[1 << 20];
        new Random(14).nextBytes(bytes);
        Files.write(host.home("alice").resolve("file.bin"), bytes);
        transport = QuicTransport.create("prelogin", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void idleHandshakenConnectionsDoNotLockOutARealClientAndAreClosedAtTheLoginDeadline(@TempDir Path dir)
            throws Exception {
        List<RawConnection> idle = new ArrayList<>();
        int refused = 0;
        try {
            InetSocketAddress attacker = new InetSocketAddress("127.0.0.2", 0);
            for (int i = 0; i < IDLE; i++) {
                try {
                    // a long QUIC idle timeout: only the server's login deadline may close these
                    idle.add(new RawConnection(transport, attacker, host.port(), FrameType.Link.CONTROL,
                            Duration.ofSeconds(600)));
                } catch (Exception refusedAtOnce) {
                    refused++;
                }
            }
            int refusedWhileOpening = refused;
            // the server has counted them: all over the per-source budget are refused (at once or just after)
            Poll.until("the server refuses the idle connections over its per-source budget", Poll.PATIENCE,
                    () -> refusedWhileOpening + closed(idle) >= IDLE - PER_SOURCE,
                    () -> refusedWhileOpening + " refused, " + closed(idle) + " of " + idle.size()
                            + " open ones closed\n" + host.output());

            Path out = dir.resolve("file.bin");
            DownloadResult result = host.client().download(host.request("file.bin", out, false),
                    ProgressListener.NONE);
            assertThat(result.bytes()).isEqualTo(bytes.length);
            assertThat(Files.readAllBytes(out)).isEqualTo(bytes);

            Poll.until("every idle connection is closed by the login deadline", Poll.PATIENCE,
                    () -> closed(idle) == idle.size(),
                    () -> closed(idle) + " of " + idle.size() + " closed\n" + host.output());
            assertThat(host.output()).contains("mpft.login-timeout");
        } finally {
            idle.forEach(RawConnection::close);
        }
    }

    @Test
    void aSecondarysClusterLinkOutlivesTheLoginDeadline(@TempDir Path work) throws Exception {
        try (MultiPathHosts hosts = new MultiPathHosts(work)) {
            Path secret = hosts.secret("cluster.secret", "0123456789abcdef0123456789abcdef-prelogin");
            MultiPathHosts.Host secondary = hosts.secondary("sec-1", secret, null,
                    Map.of("mpft.login-timeout", "1s", "mpft.idle-timeout", "600s"));
            MultiPathHosts.Host primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
            MultiPathHosts.awaitLinks(primary, 1);
            // an idle client connection made after the link is up: once the deadline has closed it, the link
            // is older than the login deadline
            try (RawConnection late = new RawConnection(transport, secondary.port(), FrameType.Link.CONTROL,
                    Duration.ofSeconds(600))) {
                Poll.until("the idle client connection is closed by the secondary's login deadline", Poll.PATIENCE,
                        () -> !late.connection.isActive(), secondary.process()::output);
            }
            String log = secondary.process().output();
            assertThat(log).as("the secondary's cluster link is still up")
                    .contains("cluster link from primary")
                    .doesNotContainPattern("cluster link from primary \\S+ closed");
            assertThat(log.lines().filter(line -> line.contains("closed: no login")))
                    .as("only the idle client connection met the login deadline").hasSize(1);
            assertThat(primary.process().output()).doesNotContain("is down; reconnecting");
        }
    }

    private static int closed(List<RawConnection> connections) {
        return (int) connections.stream().filter(c -> !c.connection.isActive()).count();
    }
}
