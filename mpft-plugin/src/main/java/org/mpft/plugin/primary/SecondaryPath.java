package org.mpft.plugin.primary;

import java.util.function.Consumer;
import org.mpft.protocol.ChunkPlan;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.LogText;
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
    private final ChunkCoordinator coordinator;
    private final Consumer<SecondaryPath> onLinkLost;
    private boolean attached;
    private boolean dropped;
    private long chunksAssigned;

    /**
     * @param registration the secondary and its link
     * @param transferId   the transfer
     * @param plan         the transfer's chunks
     * @param coordinator  the transfer's coordinator
     * @param onLinkLost   called with this path when SEND_CHUNK cannot be written (the link is down)
     */
    SecondaryPath(PrimaryCluster.Registration registration, long transferId, ChunkPlan plan,
                  ChunkCoordinator coordinator, Consumer<SecondaryPath> onLinkLost) {
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
        if (!attached || dropped) {
            return;
        }
        for (int chunk = coordinator.next(this); chunk >= 0; chunk = coordinator.next(this)) {
            if (!registration.link().send(new SendChunk(transferId, chunk, plan.offset(chunk), plan.length(chunk)))) {
                LOG.info("transfer {}: the link to secondary {} is down", transferId, LogText.quote(name()));
                onLinkLost.accept(this);
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

    /** The coordinator dropped it, or the transfer ended: it sends nothing more. */
    @Override
    public void dropped() {
        dropped = true;
    }

    /** Reports a failure of this path to the coordinator. */
    void fail(int chunk, ErrorCode code) throws MpftException {
        coordinator.failed(this, chunk, code);
    }
}
