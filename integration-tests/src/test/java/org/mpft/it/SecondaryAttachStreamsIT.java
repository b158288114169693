package org.mpft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mpft.protocol.Attach;
import org.mpft.protocol.Attached;
import org.mpft.protocol.AuthOk;
import org.mpft.protocol.AuthPassword;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Features;
import org.mpft.protocol.FrameType;
import org.mpft.protocol.Hello;
import org.mpft.protocol.Meta;
import org.mpft.protocol.Open;
import org.mpft.protocol.ServerHello;
import org.mpft.protocol.Start;
import org.mpft.protocol.Strategy;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.TransportSettings;

/**
 * Several attachments on one client connection to a secondary (TRANSFER_STREAMS), driven by a raw protocol
 * client against real primary and secondary hosts: a further stream starting with ATTACH and a valid ticket
 * is served on the same connection; FIN on it ends that attachment only (its place is free again, the
 * connection and the other transfer go on); one over {@code mpft.max-concurrent-transfers} gets
 * ERROR(LIMIT_EXCEEDED) on its stream; a client without TRANSFER_STREAMS has its further stream closed, as
 * every client had before.
 */
@Timeout(300)
class SecondaryAttachStreamsIT {

    private static final String SECRET = "s".repeat(48);

    @TempDir
    Path work;

    private MultiPathHosts hosts;
    private MultiPathHosts.Host secondary;
    private MultiPathHosts.Host primary;
    private final QuicTransport transport = QuicTransport.create("it-raw", 1);
    private final List<RawConnection> opened = new ArrayList<>();
    /** chunk streams that reached the raw secondary connection, by transfer */
    private final Map<Long, AtomicInteger> chunks = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        hosts = new MultiPathHosts(work);
        Path secret = hosts.secret("cluster.secret", SECRET);
        secondary = hosts.secondary("sec-1", secret, null, Map.of("mpft.max-concurrent-transfers", "2"));
        primary = hosts.primary("prim", secret, List.of(secondary), Map.of());
        MultiPathHosts.awaitLinks(primary, 1);
        for (int i = 0; i < 3; i++) {
            MultiPathHosts.randomFile(hosts.home(), "data/f" + i + ".bin", 4 << 20, 30 + i);
        }
    }

    @AfterEach
    void tearDown() {
        opened.forEach(RawConnection::close);
        transport.close();
        hosts.close();
    }

    @Test
    void aFurtherAttachIsServedAndItsFinEndsOnlyThatAttachment() throws Exception {
        Transfer a = open("data/f0.bin");
        Transfer b = open("data/f1.bin");
        RawConnection toSecondary = attached(Features.MULTI_PATH | Features.TRANSFER_STREAMS, a);

        RawConnection.Stream second = toSecondary.openStream();
        second.send(new Attach(b.ticket()));
        assertThat(second.expect(Attached.class).transferId()).isEqualTo(b.meta.transferId());
        b.start();
        Poll.until("a chunk of the second transfer on the shared connection", Poll.PATIENCE,
                () -> count(b) > 0, secondary.process()::output);

        second.finish();
        Poll.until("the secondary ends its side of the stream", Poll.PATIENCE, second::ended,
                secondary.process()::output);
        assertThat(toSecondary.connection.isActive()).as("the connection stays open").isTrue();

        // the first transfer still runs on the connection
        a.start();
        Poll.until("a chunk of the first transfer", Poll.PATIENCE, () -> count(a) > 0, secondary.process()::output);
        // the ended attachment's place is free: with the first in progress, a third fits under the limit of 2
        Transfer c = open("data/f2.bin");
        RawConnection.Stream third = toSecondary.openStream();
        third.send(new Attach(c.ticket()));
        assertThat(third.expect(Attached.class).transferId()).isEqualTo(c.meta.transferId());
        assertThat(toSecondary.connection.isActive()).isTrue();
    }

    @Test
    void anAttachOverTheLimitIsRefusedOnItsStreamAndTheConnectionGoesOn() throws Exception {
        Transfer a = open("data/f0.bin");
        Transfer b = open("data/f1.bin");
        Transfer c = open("data/f2.bin");
        RawConnection toSecondary = attached(Features.MULTI_PATH | Features.TRANSFER_STREAMS, a);
        RawConnection.Stream second = toSecondary.openStream();
        second.send(new Attach(b.ticket()));
        second.expect(Attached.class);

        RawConnection.Stream third = toSecondary.openStream();
        third.send(new Attach(c.ticket()));
        ErrorFrame refused = third.expect(ErrorFrame.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(refused.message()).contains("mpft.max-concurrent-transfers");
        Poll.until("the refused stream is closed", Poll.PATIENCE, third::ended, secondary.process()::output);
        assertThat(toSecondary.connection.isActive()).as("the connection stays open").isTrue();
        b.start();
        Poll.until("the second transfer is still served", Poll.PATIENCE, () -> count(b) > 0,
                secondary.process()::output);
    }

    @Test
    void withoutTransferStreamsAFurtherStreamIsClosedAsBefore() throws Exception {
        Transfer a = open("data/f0.bin");
        Transfer b = open("data/f1.bin");
        RawConnection toSecondary = attached(Features.MULTI_PATH, a);

        RawConnection.Stream second = toSecondary.openStream();
        second.send(new Attach(b.ticket()));

        Poll.until("the further stream is closed", Poll.PATIENCE, second::ended, secondary.process()::output);
        assertThat(second.frames).as("no answer on it").isEmpty();
        assertThat(toSecondary.connection.isActive()).isTrue();
        // its ticket was not used: it still attaches on a connection of its own
        RawConnection own = attached(Features.MULTI_PATH, b);
        assertThat(own.connection.isActive()).isTrue();
    }

    /** A transfer opened on a primary session of its own (not started): its META and ticket. */
    private final class Transfer {
        final RawConnection session;
        final Meta meta;

        Transfer(RawConnection session, Meta meta) {
            this.session = session;
            this.meta = meta;
        }

        Bytes ticket() {
            return meta.secondaries().get(0).ticket();
        }

        void start() {
            session.send(new Start(meta.transferId(), Bytes.of(new byte[0])));
        }
    }

    private Transfer open(String path) throws Exception {
        RawConnection session = track(new RawConnection(transport, primary.port()));
        session.send(new Hello(1, Features.MULTI_PATH, "it"));
        session.expect(ServerHello.class);
        session.send(new AuthPassword(MultiPathHosts.USER,
                Bytes.of(MultiPathHosts.PASSWORD.getBytes(StandardCharsets.UTF_8))));
        session.expect(AuthOk.class);
        session.send(new Open(path, Strategy.ALTERNATE, 0));
        Meta meta = session.expect(Meta.class);
        assertThat(meta.secondaries()).hasSize(1);
        return new Transfer(session, meta);
    }

    /** A raw connection to the secondary with {@code features} in its HELLO, attached for {@code first}. */
    private RawConnection attached(long features, Transfer first) throws Exception {
        RawConnection connection = track(new RawConnection(transport, null, secondary.port(), FrameType.Link.CONTROL,
                TransportSettings.defaults(), this::countChunk));
        connection.send(new Hello(1, features, "it"));
        connection.expect(ServerHello.class);
        connection.send(new Attach(first.ticket()));
        assertThat(connection.expect(Attached.class).transferId()).isEqualTo(first.meta.transferId());
        return connection;
    }

    private RawConnection track(RawConnection connection) {
        opened.add(connection);
        return connection;
    }

    private int count(Transfer transfer) {
        AtomicInteger n = chunks.get(transfer.meta.transferId());
        return n == null ? 0 : n.get();
    }

    /** Reads a chunk stream's header, counts it for its transfer and closes the stream. */
    private void countChunk(QuicStreamChannel stream) {
        stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            private final ByteBuf head = Unpooled.buffer();
            private boolean counted;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                ByteBuf in = (ByteBuf) msg;
                try {
                    if (!counted) {
                        head.writeBytes(in);
                        ChunkHeader header = ChunkHeader.decodeNext(head.nioBuffer());
                        if (header != null) {
                            chunks.computeIfAbsent(header.transferId(), id -> new AtomicInteger()).incrementAndGet();
                            counted = true; // the rest is dropped
                            ctx.close();
                        }
                    }
                } finally {
                    in.release();
                }
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                head.release();
            }
        });
    }
}
