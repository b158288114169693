package org.mpft.plugin.send;

import io.netty.buffer.ByteBuf;
import org.mpft.protocol.ChunkHeader;

/** Where a chunk sender puts a chunk it has read: a new stream toward the client. */
public interface ChunkOutlet {

    /**
     * Sends one chunk; takes ownership of {@code payload} (released exactly once, sent or not) and of
     * {@code lease} (its bytes given back exactly once: {@link SendBudget.Lease#written} when QUIC accepted the
     * chunk's last byte, {@link SendBudget.Lease#close} when the chunk is dropped, aborted or failed).
     *
     * @param onFailure called on the event loop when the chunk could not be sent (stream refused or reset)
     */
    void send(ChunkHeader header, ByteBuf payload, SendBudget.Lease lease, Runnable onFailure);

    /** Stops every chunk still being sent (a cancelled or failed transfer). */
    void abortAll();
}
