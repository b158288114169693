package org.mpft.plugin.cluster;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.mpft.protocol.ChunkError;
import org.mpft.protocol.ChunkSent;
import org.mpft.protocol.ClientAttached;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.Frame;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.TransferRefused;
import org.mpft.protocol.TransferRegistered;

/**
 * The transfers one {@link ClusterLink} carries: the registrations waiting for the secondary's answer and
 * the listener of each transfer, and the secondary's transfer frames routed to them. It keeps no clock:
 * the link decides when a registration is overdue and calls {@link #overdue}. Thread-safe.
 */
final class LinkTransfers {

    private final String target;
    private final Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final Map<Long, ClusterLink.TransferListener> listeners = new ConcurrentHashMap<>();

    /** @param target the secondary as configured, for messages */
    LinkTransfers(String target) {
        this.target = target;
    }

    /**
     * A registration was sent: its answer completes the returned future, and the transfer's events go to
     * {@code listener} until it is forgotten.
     */
    CompletableFuture<Void> expect(long transferId, ClusterLink.TransferListener listener) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        listeners.put(transferId, listener);
        pending.put(transferId, answer);
        return answer;
    }

    /**
     * The secondary did not answer the registration of {@code transferId} within {@code millis}: it fails
     * with SERVER_UNAVAILABLE and the transfer is forgotten. Nothing happens when the answer came first.
     */
    void overdue(long transferId, long millis) {
        CompletableFuture<Void> late = pending.remove(transferId);
        if (late != null) {
            listeners.remove(transferId);
            late.completeExceptionally(new MpftException(ErrorCode.SERVER_UNAVAILABLE, "secondary " + target
                    + " did not confirm the registration of transfer " + transferId + " within " + millis + " ms"));
        }
    }

    /** Stops listening for a transfer's events; a registration still waiting is cancelled. */
    void forget(long transferId) {
        listeners.remove(transferId);
        CompletableFuture<Void> p = pending.remove(transferId);
        if (p != null) {
            p.cancel(false);
        }
    }

    /** The link closed: waiting registrations fail, and every transfer hears that the link is down. */
    void linkClosed() {
        for (Long id : new ArrayList<>(pending.keySet())) {
            CompletableFuture<Void> p = pending.remove(id);
            if (p != null) {
                p.completeExceptionally(new MpftException(ErrorCode.SERVER_UNAVAILABLE, "the link to secondary "
                        + target + " closed"));
            }
        }
        for (Long id : new ArrayList<>(listeners.keySet())) {
            ClusterLink.TransferListener l = listeners.remove(id);
            if (l != null) {
                l.linkDown();
            }
        }
    }

    /**
     * Routes one of the secondary's transfer frames (TRANSFER_REGISTERED, TRANSFER_REFUSED, CLIENT_ATTACHED,
     * CHUNK_SENT, CHUNK_ERROR); frames of transfers it does not know are dropped.
     *
     * @return false when {@code frame} is none of those kinds
     */
    boolean dispatch(Frame frame) {
        if (frame instanceof TransferRegistered registered) {
            CompletableFuture<Void> p = pending.remove(registered.transferId());
            if (p != null) {
                p.complete(null);
            }
        } else if (frame instanceof TransferRefused refused) {
            listeners.remove(refused.transferId());
            CompletableFuture<Void> p = pending.remove(refused.transferId());
            if (p != null) {
                p.completeExceptionally(new MpftException(refused.code(), refused.message()));
            }
        } else if (frame instanceof ClientAttached attached) {
            ClusterLink.TransferListener l = listeners.get(attached.transferId());
            if (l != null) {
                l.attached();
            }
        } else if (frame instanceof ChunkSent sent) {
            ClusterLink.TransferListener l = listeners.get(sent.transferId());
            if (l != null) {
                l.chunkSent(sent);
            }
        } else if (frame instanceof ChunkError error) {
            ClusterLink.TransferListener l = listeners.get(error.transferId());
            if (l != null) {
                l.chunkError(error);
            }
        } else {
            return false;
        }
        return true;
    }
}
