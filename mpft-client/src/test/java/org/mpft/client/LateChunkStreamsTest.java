package org.mpft.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.PromiseCombiner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChecksumAlgorithm;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.Encoding;
import org.mpft.transport.QuicTls;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.RetryTokens;
import org.mpft.transport.TlsIdentity;
import org.mpft.transport.TransportSettings;

/**
 * Chunk streams of a transfer that already ended on the client (the late copy of an endgame duplicate) over
 * real QUIC: the client drops each one at its header, and the bytes the server still sends on it must not use
 * up the connection's flow-control window, or every later stream of that connection would stall until QUIC's
 * idle timeout. The server is a bare QUIC endpoint that opens chunk streams (the real one is in mpft-plugin,
 * which this module's tests cannot use); the client's connection and chunk streams are the real ones.
 */
@Timeout(120)
class LateChunkStreamsTest {

    private static final int LATE_CHUNKS = 8;
    private static final int LATE_CHUNK = 512 << 10;
    /** the client's connection window: the late chunks together are twice as large */
    private static final long WINDOW = (long) LATE_CHUNKS * LATE_CHUNK / 2;
    private static final long ENDED = 99;
    private static final long LIVE = 7;
    private static final int LIVE_CHUNK = 4096;

    private QuicTransport transport;
    private Channel server;
    private PrimaryConnection client;

    @BeforeEach
    void setUp() {
        transport = QuicTransport.create("late-chunk-streams-test", 1);
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        transport.close();
    }

    @Test
    void droppedChunkStreamsGiveTheirWindowBackSoTheNextChunkArrives() throws Exception {
        TransportSettings defaults = TransportSettings.defaults();
        server = transport.bindServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                QuicTls.serverContext(TlsIdentity.generate("chunks")), defaults,
                new RetryTokens(() -> false, System::currentTimeMillis, new SecureRandom()), new LateThenLive(),
                new ChannelInboundHandlerAdapter()).sync().channel();
        TransportSettings small = new TransportSettings(defaults.idleTimeout(), WINDOW, WINDOW, defaults.maxStreams(),
                defaults.maxUdpPayload(), defaults.gsoSegments(), defaults.socketBufferBytes());
        ChunkPlan plan = new ChunkPlan(LIVE_CHUNK, LIVE_CHUNK);
        ChunkVerifier live = new ChunkVerifier(LIVE, plan, ChecksumAlgorithm.SHA256, "live.bin", false);
        BlockingQueue<DownloadEvent> events = new LinkedBlockingQueue<>();
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        client = PrimaryConnection.connectShared(transport, small, "127.0.0.1:" + port, "127.0.0.1", port,
                sha256 -> { }, Duration.ofSeconds(10), id -> id == LIVE ? live : null,
                new ReceiveBudget(ReceiveBudget.DEFAULT_MAX_BYTES), events::add);

        // the server sends the live chunk once QUIC took (or refused) every byte of the late ones; with the late
        // streams only closed, their bytes fill the window and the connection is silent until its idle timeout
        DownloadEvent event = events.poll(90, TimeUnit.SECONDS);
        assertThat(event).as("the live chunk arrived behind %d MiB of dropped chunks on a %d MiB window",
                LATE_CHUNKS * LATE_CHUNK >> 20, WINDOW >> 20).isInstanceOf(DownloadEvent.ChunkArrived.class);
        DownloadEvent.ChunkArrived chunk = (DownloadEvent.ChunkArrived) event;
        try {
            assertThat(chunk.header().transferId()).isEqualTo(LIVE);
            assertThat(chunk.payload().readableBytes()).isEqualTo(LIVE_CHUNK);
        } finally {
            chunk.release();
        }
    }

    /** On each new connection: the late chunk streams, then, once they are settled, one chunk of the live one. */
    @ChannelHandler.Sharable
    private static final class LateThenLive extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            QuicChannel connection = (QuicChannel) ctx.channel();
            PromiseCombiner lateWrites = new PromiseCombiner(ctx.executor());
            for (int i = 0; i < LATE_CHUNKS; i++) {
                lateWrites.add(send(connection, ENDED, i, (long) i * LATE_CHUNK, LATE_CHUNK));
            }
            ChannelPromise settled = connection.newPromise();
            settled.addListener(f -> send(connection, LIVE, 0, 0, LIVE_CHUNK));
            lateWrites.finish(settled);
            ctx.fireChannelActive();
        }

        /** Opens a chunk stream and writes the chunk; completes when QUIC took its last byte or refused it. */
        private static ChannelFuture send(QuicChannel connection, long transferId, int index, long offset, int length) {
            byte[] payload = new byte[length];
            payload[0] = (byte) index;
            ChunkHeader header = new ChunkHeader(transferId, index, offset, length, Encoding.RAW, length,
                    ChecksumAlgorithm.SHA256, Bytes.of(ChecksumAlgorithm.SHA256.compute(ByteBuffer.wrap(payload))));
            ByteBuf bytes = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(header.encode()),
                    Unpooled.wrappedBuffer(payload));
            ChannelPromise done = connection.newPromise();
            connection.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                    .addListener(created -> {
                        if (!created.isSuccess()) {
                            bytes.release();
                            done.setFailure(created.cause());
                            return;
                        }
                        QuicStreamChannel stream = (QuicStreamChannel) created.getNow();
                        stream.writeAndFlush(bytes).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT)
                                .addListener(written -> done.trySuccess());
                    });
            return done;
        }
    }
}
