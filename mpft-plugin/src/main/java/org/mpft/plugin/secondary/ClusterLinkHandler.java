package org.mpft.plugin.secondary;

import org.mpft.plugin.cluster.ClusterHandshake;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import java.security.SecureRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.mpft.protocol.ClusterHello;
import org.mpft.protocol.ClusterProof;
import org.mpft.protocol.ClusterWelcome;
import org.mpft.protocol.EndTransfer;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Frame;
import org.mpft.protocol.LinkPing;
import org.mpft.protocol.LinkPong;
import org.mpft.protocol.LogText;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RegisterTransfer;
import org.mpft.protocol.SendChunk;
import org.mpft.protocol.TransferRefused;
import org.mpft.protocol.TransferRegistered;
import org.mpft.transport.FrameStreamCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secondary's side of one cluster link (a stream of cluster frames from a primary): checks that the
 * primary's address is one of {@code mpft.cluster.accept-primaries}, runs the secondary's side of the
 * {@link ClusterHandshake}, answers with CLUSTER_WELCOME, then answers each LINK_PING with LINK_PONG at once,
 * registers transfers and serves SEND_CHUNKs through the {@link SecondaryRole}. A peer without the secret is refused with
 * ERROR(CLUSTER_AUTH_FAILED), logged, and the connection closes. Runs on the connection's event loop.
 */
public final class ClusterLinkHandler extends SimpleChannelInboundHandler<Frame> {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLinkHandler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How long a refused link stays open for the ERROR to get out. */
    static final long CLOSE_GRACE_MS = 1000;

    private final QuicChannel connection;
    private final SecondaryRole role;
    private final ClusterHandshake.SecondarySide handshake;
    private ChannelHandlerContext ctx;
    private boolean up;
    private boolean closing;
    private final PendingRegistrations registering = new PendingRegistrations();

    /**
     * @param connection the primary's connection
     * @param role       the secondary's role
     */
    public ClusterLinkHandler(QuicChannel connection, SecondaryRole role) {
        super(Frame.class);
        this.connection = connection;
        this.role = role;
        // the listener presents this one certificate on every connection: the proofs are bound to it
        this.handshake = new ClusterHandshake.SecondarySide(role.secret(), role.name(), RANDOM,
                role.certificateSha256());
    }

    /** The name of the primary on the other end, once it proved the secret; null before. */
    String primary() {
        return up ? handshake.peer() : null;
    }

    /** Sends a frame to the primary (any thread); false when the link is gone. */
    boolean send(Frame frame) {
        ChannelHandlerContext c = ctx;
        if (c == null || !c.channel().isActive()) {
            return false;
        }
        c.writeAndFlush(frame);
        return true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, Frame frame) {
        try {
            handle(frame);
        } catch (MpftException e) {
            refuse(e.code(), e.getMessage());
        }
    }

    private void handle(Frame frame) throws MpftException {
        if (closing) {
            return;
        }
        if (!up) {
            if (frame instanceof ClusterHello hello) {
                if (!role.acceptsPrimary(connection.remoteSocketAddress())) {
                    throw new MpftException(ErrorCode.CLUSTER_AUTH_FAILED, "primary " + hello.node() + " at "
                            + connection.remoteSocketAddress() + " is not in mpft.cluster.accept-primaries of "
                            + role.name());
                }
                send(handshake.onHello(hello));
                return;
            }
            if (frame instanceof ClusterProof proof) {
                handshake.onProof(proof);
                up = true;
                role.linkUp(handshake.peer(), this);
                // no port configured: clients reach this secondary on the port the primary's link came in on
                int port = role.advertisePort() > 0 ? role.advertisePort()
                        : ((java.net.InetSocketAddress) connection.localSocketAddress()).getPort();
                send(new ClusterWelcome(role.advertiseHost(), port, role.certificateSha256()));
                LOG.info("cluster link from primary {} at {} accepted", LogText.quote(handshake.peer()),
                        connection.remoteSocketAddress());
                return;
            }
            if (frame instanceof ErrorFrame error) {
                // the primary checked our proof first and refused it: the two do not share a secret
                closing = true;
                LOG.warn("cluster link from {} ({}) refused: the handshake failed on the primary's side: {} {}",
                        connection.remoteSocketAddress(), LogText.quote(handshake.peer()), error.code(), LogText.quote(error.message()));
                connection.close();
                return;
            }
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, "unexpected " + frame.type()
                    + " before the cluster handshake completed");
        }
        if (frame instanceof LinkPing ping) {
            send(new LinkPong(ping.sequence())); // at once: the primary counts a silent link as down
        } else if (frame instanceof RegisterTransfer registration) {
            register(registration);
        } else if (frame instanceof SendChunk send) {
            role.sendChunk(handshake.peer(), send, this);
        } else if (frame instanceof EndTransfer end) {
            if (!registering.endWhenRegistered(end.transferId())) {
                role.endTransfer(handshake.peer(), end.transferId());
            }
        } else if (frame instanceof ErrorFrame error) {
            LOG.warn("primary {} reported {}: {}", LogText.quote(handshake.peer()), error.code(), LogText.quote(error.message()));
        } else {
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, "unexpected " + frame.type() + " on a cluster link");
        }
    }

    private void register(RegisterTransfer registration) {
        String primary = handshake.peer();
        long id = registration.transferId();
        registering.started(id);
        try {
            role.registrations().execute(() -> {
                try {
                    role.registry().register(primary, registration);
                } catch (MpftException e) {
                    registering.finished(id);
                    LOG.info("transfer {} of primary {} refused: {}", id, LogText.quote(primary),
                            LogText.quote(e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause()));
                    send(new TransferRefused(id, e.code(), e.getMessage()));
                    return;
                }
                if (registering.finished(id)) {
                    // the primary ended the transfer, or the link closed, while the registration was under way
                    role.endTransfer(primary, id);
                    LOG.info("transfer {} of primary {} ended before its registration was made: forgotten", id,
                            LogText.quote(primary));
                    return;
                }
                send(new TransferRegistered(id));
                LOG.info("transfer {} of primary {} registered: {} reads {}", id, LogText.quote(primary),
                        LogText.quote(registration.user()), LogText.quote(registration.path()));
            });
        } catch (RejectedExecutionException e) {
            registering.finished(id);
            send(new TransferRefused(id, ErrorCode.INTERNAL_ERROR, role.name() + " is shutting down"));
        }
    }

    private void refuse(ErrorCode code, String message) {
        if (closing) {
            return;
        }
        closing = true;
        if (code == ErrorCode.CLUSTER_AUTH_FAILED) {
            LOG.warn("cluster link from {} refused: {}", connection.remoteSocketAddress(), LogText.quote(message));
        } else {
            LOG.warn("cluster link from {} closed: {}: {}", connection.remoteSocketAddress(), code, LogText.quote(message));
        }
        send(ErrorFrame.of(code, message));
        connection.eventLoop().schedule(() -> {
            connection.close();
        }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        var protocol = FrameStreamCodec.protocolError(cause);
        if (protocol != null) {
            refuse(ErrorCode.PROTOCOL_ERROR, protocol.getMessage());
        } else {
            connection.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        registering.linkGone(); // before the link's transfers end: a registration made after that ends itself
        if (up) {
            role.linkDown(handshake.peer(), this);
            LOG.info("cluster link from primary {} closed", LogText.quote(handshake.peer()));
        }
        connection.close();
        context.fireChannelInactive();
    }
}
