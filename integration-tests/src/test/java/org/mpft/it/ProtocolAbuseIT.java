package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.client.DownloadRequest;
import org.mpft.client.FileTransferClient;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ClusterHello;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.FrameCodec;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;
import org.mpft.protocol.Open;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * Raw hostile bytes on the control stream of a real plugin, over real QUIC: garbage, an oversized length,
 * a frame out of order, a cluster frame on a client stream. Each offending connection gets
 * ERROR(PROTOCOL_ERROR) and is closed, while a download on another connection carries on to a correct
 * file, and the server serves new clients afterwards. The good download is held open by the server (the
 * test hook {@code mpft.test.hold-chunks-until}, {@link MpftHost#closeGate()}) until the abuse is over, so that it is in progress during the abuse however fast or slow the machine is.
 */
@Timeout(300)
class ProtocolAbuseIT {

    private static final int SIZE = 8 << 20;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", "alice-pw"))
            .pluginProperty("mpft.chunk-size", "1m")
            // far longer than the waits below: a close seen by the raw client is the server's doing
            .pluginProperty("mpft.idle-timeout", "120s")
            .holdChunks()
            .quiet()
            .build();

    static Path work;
    static int port;
    static QuicTransport transport;

    @BeforeAll
    static void start() throws Exception {
        work = host.work();
        port = host.port();
        byte[] bytes = new byte[SIZE];
        new Random(7).nextBytes(bytes);
        Files.write(host.home("alice").resolve("big.bin"), bytes);
        transport = QuicTransport.create("abuse", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void offendingConnectionsAreClosedAndOnlyThey() throws Exception {
        try (FileTransferClient client = new FileTransferClient()) {
            Path out = work.resolve("good.bin");
            host.closeGate(); // the good download stays in progress until the abuse is over
            CompletableFuture<String> good = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.download(request("big.bin", out), p -> { }).sha256();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.Executors.newSingleThreadExecutor());
            Poll.until("the good download's transfer", Poll.PATIENCE, () -> good.isDone()
                    || host.output().contains(": alice downloads big.bin ("), host::output);
            assertThat(good).as("the good download is in progress (held)").isNotDone();

            byte[] garbage = new byte[200];
            new Random(1).nextBytes(garbage);
            ByteBuffer.wrap(garbage).putInt(0, 150);
            assertRefusedAndClosed(garbage, "garbage");
            assertRefusedAndClosed(ByteBuffer.allocate(8).putInt(FrameCodec.MAX_FRAME_LENGTH + 1).array(), "oversized");
            // a frame length a logged-in client may send, but not before its login: refused from its prefix
            assertRefusedAndClosed(concat(encode(new Hello(1, 0, "abuse")),
                    ByteBuffer.allocate(8).putInt(64 * 1024 + 1).array()), "a large frame before a login");
            assertRefusedAndClosed(concat(encode(new Hello(1, 0, "abuse")), encode(new Open("big.bin", Strategy.ALTERNATE, 0))),
                    "OPEN before a login");
            assertRefusedAndClosed(encode(new ClusterHello("evil", Bytes.of(new byte[32]))), "cluster frame");
            assertRefusedAndClosed(concat(encode(new Hello(1, 0, "abuse")), new byte[] {0, 0, 0, 5, 0x03, 0, 9, 0, 0}),
                    "truncated login");

            assertThat(good).as("the good download is still in progress").isNotDone();
            host.openGate(); // release it
            assertThat(good.get(120, TimeUnit.SECONDS)).as("the good download, untouched")
                    .isEqualTo(MultiPathHosts.sha256(host.home("alice").resolve("big.bin")));
            // and the server serves new clients
            Path again = work.resolve("again.bin");
            assertThat(client.download(request("big.bin", again), p -> { }).sha256())
                    .isEqualTo(MultiPathHosts.sha256(host.home("alice").resolve("big.bin")));
        }
    }

    private static void assertRefusedAndClosed(byte[] bytes, String what) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Channel datagram = transport.bindClient(null, QuicTls.clientContext(sha256 -> { }),
                TransportSettings.defaults().withIdleTimeout(Duration.ofSeconds(120))).sync().channel();
        try {
            QuicChannel connection = transport.connect(datagram, new InetSocketAddress("127.0.0.1", port),
                    TransportSettings.defaults().withIdleTimeout(Duration.ofSeconds(120)), new ChannelInboundHandlerAdapter(),
                    new ChannelInboundHandlerAdapter())
                    .get(10, TimeUnit.SECONDS);
            QuicStreamChannel stream = connection.createStream(QuicStreamType.BIDIRECTIONAL,
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf buf = (ByteBuf) msg;
                            synchronized (received) {
                                byte[] b = new byte[buf.readableBytes()];
                                buf.readBytes(b);
                                received.write(b, 0, b.length);
                            }
                            buf.release();
                        }
                    }).get(10, TimeUnit.SECONDS);
            stream.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
            assertThat(connection.closeFuture().await(60, TimeUnit.SECONDS)).as("%s: the server closed the connection", what)
                    .isTrue();
            byte[] answer;
            synchronized (received) {
                answer = received.toByteArray();
            }
            Frame last = null;
            ByteBuffer in = ByteBuffer.wrap(answer);
            for (Frame f = FrameCodec.decodeNext(in, FrameType.Link.CONTROL); f != null;
                 f = FrameCodec.decodeNext(in, FrameType.Link.CONTROL)) {
                last = f;
            }
            assertThat(last).as("%s: answer %s", what, HexFormat.of().formatHex(answer)).isInstanceOfSatisfying(
                    ErrorFrame.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
        } finally {
            datagram.close().sync();
        }
    }

    private static byte[] encode(Frame frame) {
        ByteBuffer b = FrameCodec.encode(frame);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static DownloadRequest request(String path, Path out) {
        return host.request(path, out, false);
    }
}
