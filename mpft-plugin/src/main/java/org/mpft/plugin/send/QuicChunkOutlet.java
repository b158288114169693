package org.mpft.plugin.send;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.mpft.plugin.testhooks.TestHooks;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ErrorCode;

/**
 * Sends each chunk on a new server-opened unidirectional stream of one QUIC connection, through a
 * {@link ChunkStreamWriter}. Confined to the connection's event loop.
 */
public final class QuicChunkOutlet implements ChunkOutlet {

    private final QuicChannel connection;
    private final Set<QuicStreamChannel> streams = new LinkedHashSet<>();
    private long aborts; // test only: held chunks of an aborted transfer are dropped

    /** @param connection the client's connection: each chunk goes on a new stream of it */
    public QuicChunkOutlet(QuicChannel connection) {
        this.connection = connection;
    }

    @Override
    public void send(ChunkHeader header, ByteBuf payload, SendBudget.Lease lease, Runnable onFailure) {
        TestHooks hooks = TestHooks.active();
        if (hooks != null && hooks.holdsChunks()) {
            holdThenSend(header, payload, lease, onFailure); // test only: held until a file exists
            return;
        }
        if (hooks != null && (payload = hooks.beforeSend(header, payload)) == null) {
            lease.close();
            return; // test only: a stalled path
        }
        ChunkStreamWriter writer = new ChunkStreamWriter(header, payload, lease);
        connection.createStream(QuicStreamType.UNIDIRECTIONAL, writer).addListener(f -> {
            if (f.isSuccess()) {
                QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
                streams.add(stream);
                stream.closeFuture().addListener(c -> streams.remove(stream));
            } else {
                writer.abandon();
                onFailure.run();
            }
        });
    }

    /**
     * Resets every chunk stream still sending (RESET_STREAM with {@link ErrorCode#CANCELLED}), so the client drops
     * the chunk and waits for the transfer's verdict on its control stream. A plain close would send FIN after
     * part of the chunk, which the client must take as a server that cut a chunk short (PROTOCOL_ERROR), and which
     * could reach it before that verdict.
     */
    @Override
    public void abortAll() {
        for (QuicStreamChannel stream : new ArrayList<>(streams)) {
            if (stream.isOpen()) { // the client may have stopped it already (STOP_SENDING of a chunk it dropped)
                stream.shutdownOutput(ErrorCode.CANCELLED.wireValue()).addListener(f -> {
                    if (stream.isOpen()) {
                        stream.close();
                    }
                });
            }
        }
        streams.clear();
        aborts++;
    }

    /** Test only ({@link TestHooks#holdsChunks()}): sends the chunk after the hold, unless it was aborted meanwhile. */
    private void holdThenSend(ChunkHeader header, ByteBuf payload, SendBudget.Lease lease, Runnable onFailure) {
        long abortsBefore = aborts;
        connection.eventLoop().schedule(() -> {
            if (connection.isActive() && aborts == abortsBefore) {
                send(header, payload, lease, onFailure);
            } else {
                payload.release();
                lease.close();
            }
        }, TestHooks.HOLD_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
}
