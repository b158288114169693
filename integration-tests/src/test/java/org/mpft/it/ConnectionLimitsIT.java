package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Open;
import org.mpft.protocol.Strategy;
import org.mpft.transport.FrameStreamCodec;
import org.mpft.transport.QuicTransport;

/**
 * The per-connection limits of a real plugin, driven by a raw protocol client over real QUIC (the shipped
 * client never opens more than one stream or one transfer per connection):
 * {@code mpft.max-transfers-per-session}, {@code mpft.max-streams-per-connection} and
 * {@code mpft.max-bytes-in-flight}. Reaching one gives the client a clear answer at once (never a hang),
 * and the server keeps serving: a normal download afterwards arrives intact.
 */
@Timeout(300)
class ConnectionLimitsIT {

    private static final int MAX_TRANSFERS = 3;
    private static final int MAX_STREAMS = 4;
    private static final String PASSWORD = "alice-pw";

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD))
            .pluginProperty("mpft.chunk-size", "256k")
            .pluginProperty("mpft.window", "4")
            .pluginProperty("mpft.max-transfers-per-session", Integer.toString(MAX_TRANSFERS))
            .pluginProperty("mpft.max-streams-per-connection", Integer.toString(MAX_STREAMS))
            .pluginProperty("mpft.max-bytes-in-flight", "1m") // = window x chunk size, the least allowed
            .pluginProperty("mpft.idle-timeout", "120s")       // a close seen below is the server's doing
            .quiet()
            .build();

    static int port;
    static QuicTransport transport;

    @BeforeAll
    static void start() throws Exception {
        port = host.port();
        byte[] bytes = new byte[3 << 20];
        new Random(3).nextBytes(bytes);
        Files.write(host.home("alice").resolve("file.bin"), bytes);
        transport = QuicTransport.create("limits", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void theTransferAfterTheLimitEndsTheSessionWithAnErrorNamingIt() throws Exception {
        try (RawConnection raw = new RawConnection(transport, port, FrameType.Link.CONTROL, Duration.ofSeconds(120))) {
            raw.login("alice", PASSWORD);
            // refused OPENs count too: the limit bounds name probing per login
            for (int i = 1; i <= MAX_TRANSFERS; i++) {
                raw.send(new Open("missing-" + i + ".bin", Strategy.ALTERNATE, 0));
                assertThat(raw.expect(ErrorFrame.class).code()).as("OPEN %d", i).isEqualTo(ErrorCode.FILE_NOT_FOUND);
            }
            raw.send(new Open("file.bin", Strategy.ALTERNATE, 0));
            ErrorFrame refused = raw.expect(ErrorFrame.class);
            assertThat(refused.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(refused.message()).contains("mpft.max-transfers-per-session").contains(Integer.toString(MAX_TRANSFERS));
            // both sides' idle timeout is 120 s: a close within this (failure-bounding) wait is the server's doing
            assertThat(raw.connection.closeFuture().await(60, TimeUnit.SECONDS)).as("the server ends the session")
                    .isTrue();
        }
        assertAnotherDownloadArrivesIntact("after the transfer limit");
    }

    @Test
    void streamsBeyondTheLimitAreRefusedAndTheSessionCarriesOn() throws Exception {
        try (RawConnection raw = new RawConnection(transport, port, FrameType.Link.CONTROL, Duration.ofSeconds(120))) {
            // the server grants exactly mpft.max-streams-per-connection streams; the control stream is one
            assertThat(raw.connection.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL)).isEqualTo(MAX_STREAMS - 1);
            raw.login("alice", PASSWORD);
            List<LinkedBlockingQueue<Frame>> answers = new ArrayList<>();
            List<Throwable> refusedByQuic = new ArrayList<>();
            for (int i = 0; i < MAX_STREAMS + 2; i++) {
                LinkedBlockingQueue<Frame> answer = new LinkedBlockingQueue<>();
                Future<QuicStreamChannel> created = raw.connection.createStream(QuicStreamType.BIDIRECTIONAL,
                        frameCollector(answer));
                assertThat(created.await(10, TimeUnit.SECONDS)).as("stream %d: an answer, never a hang", i).isTrue();
                if (!created.isSuccess()) {
                    refusedByQuic.add(created.cause());
                    continue;
                }
                answers.add(answer);
                // a stream reaches the server with its first byte; the client keeps its side open (no FIN)
                created.getNow().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9})).sync();
            }
            // the streams within the limit reach the server, which refuses each with an error naming the limit
            assertThat(answers).hasSize(MAX_STREAMS - 1);
            for (LinkedBlockingQueue<Frame> answer : answers) {
                Frame frame = answer.poll(30, TimeUnit.SECONDS);
                assertThat(frame).isInstanceOfSatisfying(ErrorFrame.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                    assertThat(e.message()).contains("mpft.max-streams-per-connection=" + MAX_STREAMS)
                            .contains("one control stream per connection");
                });
            }
            // the ones beyond it never leave the client: its QUIC stack refuses them at once (STREAM_LIMIT)
            assertThat(refusedByQuic).hasSize(3).allSatisfy(e -> assertThat(String.valueOf(e)).contains("STREAM_LIMIT"));
            // and the session carries on: the control stream still opens a transfer
            raw.send(new Open("file.bin", Strategy.ALTERNATE, 0));
            assertThat(raw.expect(Meta.class).size()).isEqualTo(3 << 20);
        }
        assertAnotherDownloadArrivesIntact("after the stream limit");
    }

    @Test
    void aServerAtItsBytesInFlightBoundServesCorrectly() throws Exception {
        // mpft.max-bytes-in-flight is a bound checked at start (mpft.window x the largest chunk; above it the
        // plugin does not start and logs one line naming the key, SFTP serving on: LimitSettingsTest) and
        // the cap of the QUIC flow-control windows granted to clients; this host runs exactly at it
        // (4 x 256 KiB = 1 MiB)
        assertThat(host.output()).doesNotContain("mpft.max-bytes-in-flight");
        assertAnotherDownloadArrivesIntact("at the bytes-in-flight bound");
    }

    /** A stream handler that decodes the server's frames into {@code into}. */
    private static ChannelInitializer<QuicStreamChannel> frameCollector(LinkedBlockingQueue<Frame> into) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                ch.pipeline().addLast(new FrameStreamCodec(FrameType.Link.CONTROL),
                        new SimpleChannelInboundHandler<Frame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
                                into.add(frame);
                            }
                        });
            }
        };
    }

    private static void assertAnotherDownloadArrivesIntact(String when) throws Exception {
        Path out = host.work().resolve("out/" + System.nanoTime() + ".bin");
        Files.createDirectories(out.getParent());
        String sha = host.client().download(host.request("file.bin", out, false), p -> { }).sha256();
        assertThat(sha).as("a download %s", when)
                .isEqualTo(MultiPathHosts.sha256(host.home("alice").resolve("file.bin")));
    }
}
