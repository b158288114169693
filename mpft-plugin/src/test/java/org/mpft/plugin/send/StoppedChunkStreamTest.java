package org.mpft.plugin.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Encoding;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.RetryTokens;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.TransportSettings;

/**
 * A chunk stream that the client stops (STOP_SENDING, as it does with the late copy of an endgame duplicate) while
 * the server still has most of the chunk to send, over real QUIC: the server must give the chunk's bytes back to its
 * {@link SendBudget} at once and drop the stream. netty fails the queued writes of a stopped stream but keeps the
 * stream open, so a writer that only waited for the stream to become writable again, or to close, held its bytes
 * until the connection ended: after a few such streams every later chunk of that client connection waited in the
 * budget's queue, and a tree download stalled until the primary's chunk timeout and the client's gave up on them.
 */
@Timeout(120)
class StoppedChunkStreamTest {

    /** Much more than the client's stream window: most of it is still to be sent when the client stops it. */
    private static final int CHUNK = 4 << 20;
    private static final long STREAM_WINDOW = 64 << 10;
    private static final long STOPPED = 7;

    private QuicTransport transport;
    private Channel server;
    private Channel clientDatagram;

    @BeforeEach
    void setUp() {
        transport = QuicTransport.create("stopped-chunk-stream-test", 1);
    }

    @AfterEach
    void tearDown() {
        if (clientDatagram != null) {
            clientDatagram.close().awaitUninterruptibly();
        }
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        transport.close();
    }

    @Test
    void aStoppedChunkStreamGivesItsBytesBackAndEndsWhileTheConnectionGoesOn() throws Exception {
        // the connection outlives the test: whatever gives the bytes back, it is not the connection's end
        TransportSettings settings = TransportSettings.defaults().withIdleTimeout(Duration.ofMinutes(10));
        SendBudget.Connection budget = new SendBudget(CHUNK).connection(CHUNK);
        CountDownLatch givenBack = new CountDownLatch(1);
        CompletableFuture<SendBudget.Lease> lease = new CompletableFuture<>();
        ByteBuf payload = Unpooled.directBuffer(CHUNK);
        payload.writeBytes(new byte[CHUNK]);
        CompletableFuture<QuicChannel> serverSide = new CompletableFuture<>();

        server = transport.bindServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                QuicTls.serverContext(TlsIdentity.generate("chunks")), settings,
                new RetryTokens(() -> false, System::currentTimeMillis, new SecureRandom()),
                new SendOneChunk(budget, payload, lease, givenBack, serverSide), new ChannelInboundHandlerAdapter())
                .sync().channel();
        TransportSettings client = settings.withWindows(settings.connectionWindow(), STREAM_WINDOW);
        clientDatagram = transport.bindClient(null, QuicTls.clientContext(sha256 -> { }), client).sync().channel();
        AtomicBoolean stopped = new AtomicBoolean();
        QuicChannel connection = transport.connect(clientDatagram,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.localAddress()).getPort()),
                client, new ChannelInboundHandlerAdapter(), new StopAtFirstBytes(stopped)).sync().getNow();

        assertThat(givenBack.await(90, TimeUnit.SECONDS)).as("the chunk's bytes given back to the budget").isTrue();
        assertThat(stopped).as("the client stopped the stream").isTrue();
        SendBudget.Lease held = lease.getNow(null);
        assertThat(held.released()).isTrue();
        assertThat(held.isWritten()).as("the chunk was not all sent").isFalse();
        assertThat(budget.held()).isZero();
        assertThat(connection.isActive()).as("the client's connection").isTrue();
        assertThat(serverSide.getNow(null).isActive()).as("the server's connection").isTrue();
        assertThat(payload.refCnt()).as("the chunk's buffer released").isZero();
    }

    /** On the connection: one chunk through a {@link QuicChunkOutlet}, its lease the whole budget. */
    @ChannelHandler.Sharable
    private static final class SendOneChunk extends ChannelInboundHandlerAdapter {
        private final SendBudget.Connection budget;
        private final ByteBuf payload;
        private final CompletableFuture<SendBudget.Lease> lease;
        private final CountDownLatch givenBack;
        private final CompletableFuture<QuicChannel> connection;

        SendOneChunk(SendBudget.Connection budget, ByteBuf payload, CompletableFuture<SendBudget.Lease> lease,
                     CountDownLatch givenBack, CompletableFuture<QuicChannel> connection) {
            this.budget = budget;
            this.payload = payload;
            this.lease = lease;
            this.givenBack = givenBack;
            this.connection = connection;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            QuicChannel quic = (QuicChannel) ctx.channel();
            connection.complete(quic);
            SendBudget.Lease taken = budget.tryTake(CHUNK, () -> { });
            lease.complete(taken);
            // the budget is full now: the next chunk waits, and its wake-up runs when the first gives its bytes back
            assertThat(budget.tryTake(1, givenBack::countDown)).isNull();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(new byte[CHUNK]);
            ChunkHeader header = new ChunkHeader(STOPPED, 0, 0, CHUNK, Encoding.RAW, CHUNK, ChecksumAlgorithm.SHA256,
                    Bytes.of(digest));
            new QuicChunkOutlet(quic).send(header, payload, taken, () -> { });
            ctx.fireChannelActive();
        }
    }

    /** On each stream the server opens: STOP_SENDING at the first bytes, nothing read after them. */
    @ChannelHandler.Sharable
    private static final class StopAtFirstBytes extends ChannelInboundHandlerAdapter {
        private final AtomicBoolean stopped;

        StopAtFirstBytes(AtomicBoolean stopped) {
            this.stopped = stopped;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (stopped.compareAndSet(false, true)) {
                ((QuicStreamChannel) ctx.channel()).shutdownInput(9);
            }
        }
    }
}
