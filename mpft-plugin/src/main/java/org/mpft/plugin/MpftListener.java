package org.mpft.plugin;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.mpft.api.ChannelStartException;
import org.mpft.plugin.secondary.SecondaryRole;
import org.mpft.plugin.session.Session;
import org.mpft.plugin.session.Sessions;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.FrameCodec;
import org.mpft.transport.QuicTransport;
import org.mpft.transport.RetryTokens;
import org.mpft.transport.TransportSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP listener of either role: creates one {@link Session} per QUIC connection and gives it the
 * connection's first client-opened bidirectional stream as its control stream; on a secondary the first
 * frame of that stream decides between a client and a primary's cluster link, and an attached client with
 * TRANSFER_STREAMS attaches further transfers on further streams ({@link LinkSniffer}). Every
 * part a connection needs exists before the listener binds.
 */
final class MpftListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MpftListener.class);
    private static final AttributeKey<Session> SESSION = AttributeKey.valueOf(MpftListener.class, "session");

    private final MpftSettings settings;
    private final Sessions sessionParts;
    private final SecondaryRole secondary;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Set<QuicChannel> connections = ConcurrentHashMap.newKeySet();
    private final Channel channel;

    private MpftListener(MpftSettings settings, Sessions sessionParts, SecondaryRole secondary, QuicTransport transport,
                         InetSocketAddress local, io.netty.handler.codec.quic.QuicSslContext tls,
                         TransportSettings transportSettings, RetryTokens retryTokens) throws ChannelStartException {
        this.settings = settings;
        this.sessionParts = sessionParts;
        this.secondary = secondary;
        ChannelFuture bound = transport.bindServer(local, tls, transportSettings, retryTokens, new ConnectionInitializer(),
                new StreamInitializer());
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new ChannelStartException("cannot listen on udp " + MpftInstance.hostPort(local) + " ("
                    + MpftKeys.BIND.key() + ", " + MpftKeys.PORT.key() + "): " + bound.cause().getMessage(),
                    bound.cause());
        }
        this.channel = bound.channel();
    }

    /**
     * Binds the listener; connections are accepted from here on.
     *
     * @param secondary   the secondary's role (cluster links are accepted), or null on a primary
     * @param retryTokens when new connections are validated with a QUIC Retry
     * @throws ChannelStartException naming the address and port that failed
     */
    static MpftListener bind(MpftSettings settings, Sessions sessions, SecondaryRole secondary,
                             QuicTransport transport, InetSocketAddress local, io.netty.handler.codec.quic.QuicSslContext tls,
                             TransportSettings transportSettings, RetryTokens retryTokens)
            throws ChannelStartException {
        return new MpftListener(settings, sessions, secondary, transport, local, tls, transportSettings, retryTokens);
    }

    /** The bound address (with the real port when {@code mpft.port} was 0). */
    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * Closes every connection (each client hears CONNECTION_CLOSE, so one that keeps its connection for later
     * transfers makes a new one instead of waiting for its idle timeout), stops accepting and ends every session.
     */
    @Override
    public void close() {
        java.util.List<ChannelFuture> closing = new java.util.ArrayList<>();
        for (QuicChannel connection : connections) {
            closing.add(connection.close());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (Session session : sessions) {
            session.connectionClosed();
        }
    }

    /**
     * Creates a session per connection and forgets it when the connection closes. A connection over the
     * budget of connections not logged in (in all or from its source) gets a session that answers its HELLO
     * with LIMIT_EXCEEDED (busy) and closes; when even the places for such answers are taken it is closed
     * at once. Either way it never counts as a session, so logged-in users are not disturbed.
     */
    @ChannelHandler.Sharable
    private final class ConnectionInitializer extends ChannelInitializer<QuicChannel> {
        @Override
        protected void initChannel(QuicChannel connection) {
            Session session = sessionParts.open(connection);
            if (session == null) {
                LOG.warn("connection from {} closed: too many connections not logged in from it or in all ({}, {})",
                        connection.remoteSocketAddress(), MpftKeys.MAX_UNAUTHENTICATED_PER_SOURCE.key(),
                        MpftKeys.MAX_UNAUTHENTICATED.key());
                connection.close();
                return;
            }
            connection.attr(SESSION).set(session);
            sessions.add(session);
            connections.add(connection);
            connection.closeFuture().addListener(f -> {
                connections.remove(connection);
                sessions.remove(session);
                session.connectionClosed();
            });
        }
    }

    /**
     * Hands a client-opened stream to its session, which keeps the first bidirectional one as its control stream
     * and, with transfer streams negotiated, further ones as transfer streams. On a secondary
     * the first frame decides: a cluster link or a client's control stream ({@link LinkSniffer}).
     */
    @ChannelHandler.Sharable
    private final class StreamInitializer extends ChannelInitializer<QuicStreamChannel> {
        @Override
        protected void initChannel(QuicStreamChannel stream) {
            Session session = stream.parent().attr(SESSION).get();
            if (session != null && secondary != null && stream.type() == QuicStreamType.BIDIRECTIONAL) {
                stream.pipeline().addLast(new LinkSniffer(session, secondary, settings.maxConcurrentTransfers()));
                return;
            }
            if (session == null || !session.acceptControlStream(stream) && !session.acceptTransferStream(stream)) {
                refuseStream(stream);
            }
        }
    }

    /**
     * Closes a client-opened stream the session does not take (a second bidirectional stream of a client
     * without transfer streams, any unidirectional one). A bidirectional one first gets ERROR(LIMIT_EXCEEDED) saying why, so a client
     * never waits on it; the session itself carries on. QUIC itself refuses streams beyond
     * {@code mpft.max-streams-per-connection} open at once (STREAM_LIMIT at the client).
     */
    private void refuseStream(QuicStreamChannel stream) {
        if (stream.type() != QuicStreamType.BIDIRECTIONAL || !stream.isActive()) {
            stream.close();
            return;
        }
        ErrorFrame refusal = ErrorFrame.of(ErrorCode.LIMIT_EXCEEDED, settings.name()
                + " takes one control stream per connection; this stream is refused ("
                + MpftKeys.MAX_STREAMS_PER_CONNECTION.key() + "=" + settings.maxStreamsPerConnection()
                + " streams open at once)");
        // encoded here, no codec on the stream: whatever the client sends on it is dropped, not parsed
        stream.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.encode(refusal))).addListener(f -> stream.close());
    }
}
