package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.Cancel;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Open;
import org.mpft.protocol.Start;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * A transfer that ends while its chunks are on their way (here the client cancels it; a file changed on the
 * server ends it the same way) must reset its chunk streams, never end them with FIN short of the chunk: a FIN
 * says "that was the whole chunk", and the real client takes a short one as a broken server (PROTOCOL_ERROR),
 * even when the transfer's verdict on the control stream (FILE_CHANGED: fetch it again) is still on its way.
 * The client here holds every chunk stream unread at its 16 KiB window, so each is mid-chunk when the transfer
 * ends.
 */
@Timeout(120)
class ChunkStreamAbortIT {

    private static final String PASSWORD = "alice-pw";
    private static final int CHUNK = 1 << 20;

    @RegisterExtension
    static final MpftHost host = MpftHost.builder()
            .user(HostProcess.User.withPassword("alice", PASSWORD))
            .pluginProperty("mpft.chunk-size", "1m")
            .pluginProperty("mpft.cache.max-bytes", "0")
            .quiet()
            .build();

    static QuicTransport transport;

    @BeforeAll
    static void start() throws Exception {
        byte[] content = new byte[8 * CHUNK];
        new Random(5).nextBytes(content);
        Files.write(host.home("alice").resolve("abort.bin"), content);
        transport = QuicTransport.create("abort", 1);
    }

    @AfterAll
    static void stop() {
        if (transport != null) {
            transport.close();
        }
    }

    /** What the client saw of one chunk stream. */
    static final class StreamEnd extends ChannelInboundHandlerAdapter {
        final AtomicLong bytes = new AtomicLong();
        volatile boolean fin;
        volatile boolean closed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytes.addAndGet(((ByteBuf) msg).readableBytes());
            ((ByteBuf) msg).release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownReadComplete) {
                fin = true;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset: the stream is over
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed = true;
            ctx.fireChannelInactive();
        }

        @Override
        public String toString() {
            return (fin ? "FIN" : closed ? "reset" : "open") + " after " + bytes.get() + " bytes";
        }
    }

    @Test
    void aTransferThatEndsMidChunkResetsItsChunkStreams() throws Exception {
        List<QuicStreamChannel> streams = new CopyOnWriteArrayList<>();
        List<StreamEnd> ends = new CopyOnWriteArrayList<>();
        TransportSettings narrow = new TransportSettings(Duration.ofSeconds(60), 1L << 30, 16 << 10, 1000,
                TransportSettings.ETHERNET_PAYLOAD, TransportSettings.GSO_SEGMENTS, 4 << 20);
        try (RawConnection raw = new RawConnection(transport, null, host.port(), FrameType.Link.CONTROL, narrow,
                ch -> {
                    ch.config().setAutoRead(false); // unread: the stream stops at its 16 KiB window, mid-chunk
                    StreamEnd end = new StreamEnd();
                    ch.pipeline().addLast(end);
                    ends.add(end);
                    streams.add(ch);
                })) {
            raw.login("alice", PASSWORD);
            raw.send(new Open("abort.bin", Strategy.ALTERNATE, 0));
            Meta meta = raw.expect(Meta.class);
            raw.send(new Start(meta.transferId(), Bytes.EMPTY));
            Poll.until("a chunk stream opened", Poll.PATIENCE, () -> !streams.isEmpty());

            raw.send(new Cancel(meta.transferId()));
            Poll.until("the server ended the transfer", Poll.PATIENCE,
                    () -> host.output().contains("abort.bin cancelled by the client"), host::output);
            for (QuicStreamChannel stream : streams) {
                stream.eventLoop().execute(() -> {
                    stream.config().setAutoRead(true);
                    stream.read();
                });
            }
            Poll.until("every chunk stream ended", Poll.PATIENCE,
                    () -> ends.stream().allMatch(e -> e.fin || e.closed), ends::toString);

            for (StreamEnd end : ends) {
                assertThat(end.fin && end.bytes.get() < CHUNK).as("a chunk stream ended with FIN short of its chunk: %s",
                        end).isFalse();
            }
            assertThat(ends).as("the streams mid-chunk when the transfer ended were reset: %s", ends)
                    .anyMatch(e -> !e.fin && e.closed);
        }
    }
}
