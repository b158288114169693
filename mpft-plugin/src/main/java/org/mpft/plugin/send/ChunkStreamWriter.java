package org.mpft.plugin.send;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.mpft.plugin.control.StreamPriorities;
import org.mpft.protocol.ChunkHeader;

/**
 * Writes one chunk on its own unidirectional stream: the {@link ChunkHeader}, then the payload in slices
 * while the stream is writable (quiche's stream capacity; netty would otherwise queue without limit),
 * then FIN. Owns the payload's reference and releases it exactly once: when the last slice is handed to
 * the stream, or when the stream goes away first. Owns the chunk's {@link SendBudget.Lease} too: marked
 * written when QUIC accepted the last slice (its write completed), closed when the stream goes away first.
 */
final class ChunkStreamWriter extends ChannelInboundHandlerAdapter {

    /** Bytes per write; each write is flushed so that writability reflects quiche's capacity. */
    static final int SLICE = 256 * 1024;

    private final ChunkHeader header;
    private final SendBudget.Lease lease;
    private ByteBuf payload;
    private boolean headerWritten;

    ChunkStreamWriter(ChunkHeader header, ByteBuf payload, SendBudget.Lease lease) {
        this.header = header;
        this.payload = payload;
        this.lease = lease;
    }

    /** Releases the payload when the stream could not be created (the handler never joined a pipeline). */
    void abandon() {
        releasePayload();
        lease.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        writeMore(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Non-incremental: quiche sends streams of equal urgency one after the other in stream order, so
        // chunks complete one by one instead of all of them crawling in parallel.
        ((QuicStreamChannel) ctx.channel()).updatePriority(StreamPriorities.CHUNK);
        if (ctx.channel().isActive()) {
            writeMore(ctx);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            writeMore(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePayload();
        lease.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePayload();
        lease.close();
    }

    private void writeMore(ChannelHandlerContext ctx) {
        if (payload == null) {
            return;
        }
        if (!headerWritten) {
            headerWritten = true;
            ByteBuf head = ctx.alloc().directBuffer(ChunkHeader.MAX_ENCODED_LENGTH);
            java.nio.ByteBuffer encoded = header.encode();
            head.writeBytes(encoded);
            if (!payload.isReadable()) {
                releasePayload();
                ctx.writeAndFlush(head).addListener((ChannelFutureListener) this::lastWriteDone).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                return;
            }
            ctx.write(head);
        }
        while (payload.isReadable() && ctx.channel().isWritable()) {
            ByteBuf slice = payload.readRetainedSlice(Math.min(SLICE, payload.readableBytes()));
            if (!payload.isReadable()) {
                releasePayload();
                ctx.writeAndFlush(slice).addListener((ChannelFutureListener) this::lastWriteDone).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT)
                        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
                return;
            }
            ctx.writeAndFlush(slice);
        }
        ctx.flush();
    }

    /** QUIC took the last byte (the chunk is written) or refused it (the stream failed): the lease ends either way. */
    private void lastWriteDone(io.netty.channel.ChannelFuture write) {
        if (write.isSuccess()) {
            lease.written();
        } else {
            lease.close();
        }
    }

    private void releasePayload() {
        if (payload != null) {
            ByteBuf p = payload;
            payload = null;
            p.release();
        }
    }
}
