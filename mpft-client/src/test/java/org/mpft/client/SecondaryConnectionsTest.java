package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mpft.protocol.Attached;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.SecondaryEndpoint;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.TransportSettings;

/**
 * A session's kept connection to a secondary over real QUIC, with the secondary restarted behind the client's
 * back: a {@link UdpRelay} swallows the old secondary's goodbye, so the kept connection still looks up when the
 * next transfer attaches on it. The secondary is a {@link FakeSecondary} (the real one is in mpft-plugin, which
 * this module cannot use); the client's connections are the real ones.
 */
@Timeout(120)
class SecondaryConnectionsTest {

    /**
     * QUIC's idle timeout (30 s) is far longer than {@link SecondaryConnections#ATTACH_SILENCE}: the client hears
     * nothing that ends the silent connection, it has to find out by itself.
     */
    private static final TransportSettings SETTINGS = TransportSettings.defaults();
    private static final PrimaryConnection.Pin ANY_CERTIFICATE = sha256 -> { };

    private QuicTransport transport;
    private TlsIdentity identity;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        transport = QuicTransport.create("secondary-connections-test", 1);
        identity = TlsIdentity.generate("sec-1");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        transport.close();
    }

    @Test
    void aTransferThatFindsItsKeptConnectionDeadBeforeItsCloseArrivedAttachesOnANewOne() throws Exception {
        FakeSecondary before = open(new FakeSecondary(transport, identity, SETTINGS));
        FakeSecondary restarted = open(new FakeSecondary(transport, identity, SETTINGS));
        UdpRelay relay = open(new UdpRelay(before.port()));
        SecondaryConnections pool = open(new SecondaryConnections(transport, SETTINGS, new ReceiveBudget(1 << 20),
                Duration.ofSeconds(10)));
        Events first = new Events();
        SecondaryConnections.Attachment one = pool.attach(endpoint(relay, 1), server(relay), ANY_CERTIFICATE, 1,
                () -> null, first);
        assertThat(first.answer()).isEqualTo(new Attached(1));
        one.end();

        // the secondary restarts on the same address; its CONNECTION_CLOSE never reaches the client
        relay.switchTo(restarted.port());
        before.close();
        Events second = new Events();
        SecondaryConnections.Attachment two = pool.attachIfConnected(endpoint(relay, 2), server(relay),
                ANY_CERTIFICATE, 2, () -> null, second);
        assertThat(two).as("the kept connection still looks up: the transfer attaches on a further stream of it")
                .isNotNull();

        assertThat(second.answer()).as("the transfer attached to the restarted secondary, not lost it")
                .isEqualTo(new Attached(2));
        assertThat(restarted.attaches()).containsExactly(2L);
        assertThat(restarted.connections()).isEqualTo(1);

        Events third = new Events();
        SecondaryConnections.Attachment three = pool.attachIfConnected(endpoint(relay, 3), server(relay),
                ANY_CERTIFICATE, 3, () -> null, third);
        assertThat(three).as("the new connection is the kept one").isNotNull();
        assertThat(third.answer()).isEqualTo(new Attached(3));
        assertThat(restarted.connections()).as("on a further stream of the new kept connection").isEqualTo(1);
        two.end();
        three.end();
    }

    @Test
    void aTransferWhoseSecondaryIsReallyDownTriesOneNewConnectionAndLosesTheSecondary() throws Exception {
        FakeSecondary before = open(new FakeSecondary(transport, identity, SETTINGS));
        UdpRelay relay = open(new UdpRelay(before.port()));
        // where the secondary was, nothing answers any more: datagrams are taken and never read
        java.net.DatagramSocket silent = open(new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)));
        SecondaryConnections pool = open(new SecondaryConnections(transport, SETTINGS, new ReceiveBudget(1 << 20),
                Duration.ofSeconds(2)));
        Events first = new Events();
        SecondaryConnections.Attachment one = pool.attach(endpoint(relay, 1), server(relay), ANY_CERTIFICATE, 1,
                () -> null, first);
        assertThat(first.answer()).isEqualTo(new Attached(1));
        one.end();

        relay.switchTo(silent.getLocalPort());
        before.close();
        Events second = new Events();
        SecondaryConnections.Attachment two = pool.attachIfConnected(endpoint(relay, 2), server(relay),
                ANY_CERTIFICATE, 2, () -> null, second);
        assertThat(two).isNotNull();

        assertThat(second.answer()).as("the transfer goes on without the secondary")
                .isInstanceOf(String.class).asString().contains("no answer from " + server(relay));
        assertThat(relay.clients()).as("the kept connection and one new connection tried for the transfer")
                .isEqualTo(2);
        two.end();
    }

    @Test
    void anEndedAttachmentsStreamClosesOnlyOnceTheSecondarysFinWasRead() throws Exception {
        FakeSecondary secondary = open(new FakeSecondary(transport, identity, SETTINGS));
        SecondaryConnections pool = open(new SecondaryConnections(transport, SETTINGS, new ReceiveBudget(1 << 20),
                Duration.ofSeconds(10)));
        SecondaryConnections.Attachment first = pool.attach(endpoint(secondary.port(), 1), server(secondary.port()),
                ANY_CERTIFICATE, 1, () -> null, new Events()); // on the connection's control stream
        List<QuicStreamChannel> ended = new ArrayList<>();
        for (long transferId = 2; transferId <= 21; transferId++) {
            Events events = new Events();
            SecondaryConnections.Attachment further = pool.attach(endpoint(secondary.port(), transferId),
                    server(secondary.port()), ANY_CERTIFICATE, transferId, () -> null, events);
            assertThat(events.answer()).isEqualTo(new Attached(transferId));
            assertThat(further.stream()).as("a later transfer attaches on a further stream").isNotNull();
            ended.add(further.stream());
            further.end();
        }
        first.end();

        for (QuicStreamChannel stream : ended) {
            stream.closeFuture().await();
            // closed before the secondary's FIN was read, a stream stays among the connection's streams (netty)
            // and keeps its state (quiche) until the connection closes
            assertThat(stream.isInputShutdown()).as("closed after the secondary's FIN was read").isTrue();
        }
        assertThat(secondary.connections()).as("all on the kept connection").isEqualTo(1);
    }

    @Test
    void closingTheSessionDoesNotWaitForAHandshakeThatNothingAnswers() throws Exception {
        // a secondary frozen before the primary's link noticed: datagrams are taken and never answered
        java.net.DatagramSocket frozen = open(new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0)));
        SecondaryConnections pool = new SecondaryConnections(transport, SETTINGS, new ReceiveBudget(1 << 20),
                Duration.ofMinutes(10));
        java.util.concurrent.CompletableFuture<Object> attached = new java.util.concurrent.CompletableFuture<>();
        Thread attaching = new Thread(() -> {
            try {
                attached.complete(pool.attach(endpoint(frozen.getLocalPort(), 1), server(frozen.getLocalPort()),
                        ANY_CERTIFICATE, 1, () -> null, new Events()));
            } catch (Throwable e) {
                attached.complete(e);
            }
        }, "attach-to-frozen");
        attaching.start();
        // the client's first Initial packet arrived: the handshake is under way, holding the kept connection
        frozen.receive(new java.net.DatagramPacket(new byte[2048], 2048));

        pool.close();

        assertThat(attaching.isAlive()).as("close() returned while the 10-minute handshake still waits").isTrue();
        assertThat(attached).isNotDone();
        // the attach's thread waits in the handshake, interruptibly; a client exits without it (a daemon thread)
        attaching.interrupt();
        assertThat(attached.get()).as("the attach ends without an attachment")
                .isInstanceOfAny(InterruptedException.class, MpftException.class);
        attaching.join();
    }

    private <T extends AutoCloseable> T open(T resource) {
        closing.add(resource);
        return resource;
    }

    private SecondaryEndpoint endpoint(UdpRelay relay, long transferId) {
        return endpoint(relay.port(), transferId);
    }

    private SecondaryEndpoint endpoint(int port, long transferId) {
        return new SecondaryEndpoint("sec-1", "127.0.0.1", port,
                Bytes.of(TlsIdentity.sha256(identity.certificate())), FakeSecondary.ticket(transferId));
    }

    private static String server(UdpRelay relay) {
        return server(relay.port());
    }

    private static String server(int port) {
        return "127.0.0.1:" + port;
    }

    /** What one transfer hears from the secondary, in order. */
    private static final class Events implements Consumer<DownloadEvent> {
        private final BlockingQueue<DownloadEvent> queue = new LinkedBlockingQueue<>();

        @Override
        public void accept(DownloadEvent event) {
            queue.add(event);
        }

        /** The secondary's answer to ATTACH (after SERVER_HELLO, if any), or the failure that came instead. */
        Object answer() throws InterruptedException {
            while (true) {
                DownloadEvent event = queue.take();
                if (event instanceof DownloadEvent.Failed failed) {
                    return failed.error().getMessage();
                }
                if (event instanceof DownloadEvent.ControlFrame control && control.frame() instanceof Attached) {
                    return control.frame();
                }
            }
        }
    }
}
