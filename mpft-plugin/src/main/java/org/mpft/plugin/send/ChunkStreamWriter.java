package org.mpft.plugin.send;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
 *
 * <p>A write that fails ends the chunk: the client stopped the stream (STOP_SENDING, e.g. the late copy of an
 * endgame duplicate) or the stream broke. netty fails the queued writes of a stopped stream but keeps the stream
 * open, and it never becomes writable again; so the writer then releases the payload, gives the lease back and
 * closes the stream itself, instead of holding the chunk's bytes until the connection ends.
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
                ctx.writeAndFlush(head).addListener((ChannelFutureListener) this::lastWriteDone);
                return;
            }
            ctx.write(head).addListener((ChannelFutureListener) this::writeDone);
        }
        while (payload != null && payload.isReadable() && ctx.channel().isWritable()) {
            ByteBuf slice = payload.readRetainedSlice(Math.min(SLICE, payload.readableBytes()));
            if (!payload.isReadable()) {
                releasePayload();
                ctx.writeAndFlush(slice).addListener((ChannelFutureListener) this::lastWriteDone);
                return;
            }
            ctx.writeAndFlush(slice).addListener((ChannelFutureListener) this::writeDone);
        }
        ctx.flush();
    }

    /** A write before the last: when it failed, the chunk ends here. */
    private void writeDone(ChannelFuture write) {
        if (!write.isSuccess()) {
            abort(write.channel());
        }
    }

    /**
     * QUIC took the last byte (the chunk is written, FIN follows) or refused it (the stream failed, and ends here):
     * the lease ends either way.
     */
    private void lastWriteDone(ChannelFuture write) {
        if (write.isSuccess()) {
            lease.written();
            ((QuicStreamChannel) write.channel()).shutdownOutput();
        } else {
            abort(write.channel());
        }
    }

    /** The stream was stopped by the client or broke: the chunk's buffer and bytes go back, the stream is closed. */
    private void abort(Channel stream) {
        releasePayload();
        lease.close();
        if (stream.isOpen()) {
            stream.close();
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
