package org.mpft.plugin;

import java.util.function.Supplier;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.SendChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secondary as one path of one transfer on the primary: while the client is attached to it and the
 * coordinator has work for it, it sends SEND_CHUNK over the cluster link; the secondary sends the chunk to
 * the client itself. Its window is the coordinator's; it keeps no chunk state of its own. Confined to the
 * session's event loop.
 */
final class SecondaryPath implements ChunkCoordinator.DroppablePath {

    private static final Logger LOG = LoggerFactory.getLogger(SecondaryPath.class);

    private final PrimaryCluster.Registration registration;
    private final long transferId;
    private final ChunkPlan plan;
    private final Supplier<ChunkCoordinator> coordinator;
    private final Runnable onLinkLost;
    private boolean attached;
    private boolean dropped;
    private long chunksAssigned;

    /**
     * @param registration the secondary and its link
     * @param transferId   the transfer
     * @param plan         the transfer's chunks
     * @param coordinator  the transfer's coordinator (null once the transfer ended)
     * @param onLinkLost   called when SEND_CHUNK cannot be written (the link is down)
     */
    SecondaryPath(PrimaryCluster.Registration registration, long transferId, ChunkPlan plan,
                  Supplier<ChunkCoordinator> coordinator, Runnable onLinkLost) {
        this.registration = registration;
        this.transferId = transferId;
        this.plan = plan;
        this.coordinator = coordinator;
        this.onLinkLost = onLinkLost;
    }

    @Override
    public String name() {
        return registration.slotName();
    }

    /** The secondary and its link. */
    PrimaryCluster.Registration registration() {
        return registration;
    }

    /** The client attached to the secondary: chunks may go there now. */
    void attached() {
        attached = true;
        wake();
    }

    /** True once the client attached. */
    boolean isAttached() {
        return attached;
    }

    /** SEND_CHUNKs sent so far. */
    long chunksAssigned() {
        return chunksAssigned;
    }

    @Override
    public void wake() {
        ChunkCoordinator c = coordinator.get();
        if (!attached || dropped || c == null) {
            return;
        }
        for (int chunk = c.next(this); chunk >= 0; chunk = c.next(this)) {
            if (!registration.link().send(new SendChunk(transferId, chunk, plan.offset(chunk), plan.length(chunk)))) {
                LOG.info("transfer {}: the link to secondary {} is down", transferId, name());
                onLinkLost.run();
                return;
            }
            chunksAssigned++;
        }
    }

    @Override
    public void release(int chunk) {
        // the coordinator's schedule tracks this path's window; a freed slot may take the next chunk
        wake();
    }

    @Override
    public void dropped() {
        dropped = true;
    }

    /** Reports a failure of this path to the coordinator. */
    void fail(int chunk, ErrorCode code) throws MpftException {
        ChunkCoordinator c = coordinator.get();
        if (c != null) {
            c.failed(this, chunk, code);
        }
    }
}
