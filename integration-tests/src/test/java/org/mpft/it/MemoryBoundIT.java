package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.protocol.Ack;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Open;
import org.mpft.protocol.Start;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * A logged-in client that turns against the server's memory: it opens a download of a 10 GiB (sparse) file,
 * grants the server a huge connection window and many streams but tiny stream windows, never reads a chunk
 * stream (so every chunk stalls in the server's send path), and ACKs each chunk the moment its stream
 * appears. The server must hold no more chunk bytes than {@code mpft.max-bytes-in-flight} (its JMX counter
 * of bytes held, read from the real host process through the attach API), must end the session at the
 * first ACK of a chunk it has not finished sending (PROTOCOL_ERROR naming the chunk), must give every buffer
 * back afterwards, and its RSS must stay far below what the client's ACKs would have pinned
 * ({@value #ACKS} chunks of 1 MiB).
 */
@Timeout(300)
class MemoryBoundIT {

    private static final String PASSWORD = "alice-pw";
    private static final long BUDGET = 8L << 20;
    /** the early ACKs the client sends at most (each would pin one more 1 MiB chunk) */
    private static final int ACKS = 512;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD))
            .pluginProperty("mpft.chunk-size", "1m")
            .pluginProperty("mpft.window", "8")
            .pluginProperty("mpft.max-bytes-in-flight", "8m")   // = window x chunk size
            .pluginProperty("mpft.max-bytes-held", "16m")
            .pluginProperty("mpft.cache.max-bytes", "0")         // no chunk cache: RSS is the send path's
            .pluginProperty("mpft.idle-timeout", "120s")         // a close seen below is the server's doing
            .quiet()
            .build();

    static QuicTransport transport;

    @BeforeAll
    static void start() throws Exception {
        // 10 GiB that cost no disk: a sparse file reads as zeros
        try (RandomAccessFile big = new RandomAccessFile(host.home("alice").resolve("big.bin").toFile(), "rw")) {
            big.setLength(10L << 30);
        }
        transport = QuicTransport.create("memory", 1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (transport != null) {
            transport.close();
        }
        Files.deleteIfExists(host.home("alice").resolve("big.bin"));
    }

    @Test
    void aClientThatStallsItsStreamsAndAcksEarlyPinsNoMoreThanTheBudget() throws Exception {
        long pid = host.process().process().pid();
        try (JMXConnector jmx = attach(pid)) {
            MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            ObjectName metrics = mbeans.queryNames(new ObjectName("org.mpft:type=Metrics,*"), null).iterator().next();
            long rssBefore = rssKib(pid);
            AtomicLong rssPeak = new AtomicLong(rssBefore);
            AtomicLong heldPeak = new AtomicLong();

            List<QuicStreamChannel> stalled = new CopyOnWriteArrayList<>();
            TransportSettings hostile = new TransportSettings(Duration.ofSeconds(120), 1L << 30, 16 << 10, 100_000,
                    TransportSettings.ETHERNET_PAYLOAD, TransportSettings.GSO_SEGMENTS, 4 << 20);
            ErrorFrame error = null;
            int acked = 0;
            try (RawConnection raw = new RawConnection(transport, null, host.port(), FrameType.Link.CONTROL, hostile,
                    ch -> {
                        ch.config().setAutoRead(false); // never read: the stream's window stays at 16 KiB
                        stalled.add(ch);
                    })) {
                raw.login("alice", PASSWORD);
                raw.send(new Open("big.bin", Strategy.ALTERNATE, 0));
                Meta meta = raw.expect(Meta.class);
                assertThat(meta.size()).isEqualTo(10L << 30);
                raw.send(new Start(meta.transferId(), Bytes.EMPTY));

                // each chunk stream that appears is ACKed at once, long before the server could finish it
                long deadline = System.nanoTime() + Poll.PATIENCE.toNanos();
                while (acked < ACKS && System.nanoTime() < deadline) {
                    while (acked < stalled.size() && acked < ACKS) {
                        raw.send(new Ack(meta.transferId(), acked++));
                    }
                    sample(mbeans, metrics, pid, heldPeak, rssPeak);
                    Frame frame = raw.frames.poll(Poll.INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                    if (frame != null) {
                        assertThat(frame).as("the server's answer to an early ACK").isInstanceOf(ErrorFrame.class);
                        error = (ErrorFrame) frame;
                        break;
                    }
                }
                sample(mbeans, metrics, pid, heldPeak, rssPeak);
                assertThat(error).as("an ERROR for the early ACK (%d ACKs sent, %d streams stalled, %d bytes held)",
                        acked, stalled.size(), heldPeak.get()).isNotNull();
                assertThat(error.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                assertThat(error.message()).contains("ACK of chunk 0", "before the server finished sending it");
                assertThat(raw.connection.closeFuture().await(60, TimeUnit.SECONDS)).as("the server ends the session")
                        .isTrue();
            }
            // every buffer of the session is given back once it ended
            Poll.until("the server holds no chunk bytes", Poll.PATIENCE,
                    () -> attribute(mbeans, metrics, "BytesHeld") == 0, host::output);
            long peak = attribute(mbeans, metrics, "BytesHeldPeak");
            System.out.printf("MemoryBoundIT: %d early ACKs, %d stalled streams, bytes held peak %d, host RSS %d ->"
                    + " peak %d MiB%n", acked, stalled.size(), peak, rssBefore / 1024, rssPeak.get() / 1024);
            assertThat(Math.max(peak, heldPeak.get())).as("chunk bytes the server held at once")
                    .isPositive().isLessThanOrEqualTo(BUDGET);
            // what the client tried to pin is 512 MiB; the budget is 8 MiB (RSS is noisy: a generous bound)
            assertThat((rssPeak.get() - rssBefore) / 1024).as("host RSS growth, MiB").isLessThan(192);
        }
    }

    private static void sample(MBeanServerConnection mbeans, ObjectName metrics, long pid, AtomicLong heldPeak,
                               AtomicLong rssPeak) throws Exception {
        heldPeak.accumulateAndGet(attribute(mbeans, metrics, "BytesHeld"), Math::max);
        rssPeak.accumulateAndGet(rssKib(pid), Math::max);
    }

    private static long attribute(MBeanServerConnection mbeans, ObjectName metrics, String name) {
        try {
            return ((Number) mbeans.getAttribute(metrics, name)).longValue();
        } catch (Exception e) {
            throw new AssertionError("the host's metrics have no " + name + ": " + e, e);
        }
    }

    /** The host process's platform MBean server, through the JDK's attach API (same user, no port). */
    private static JMXConnector attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
