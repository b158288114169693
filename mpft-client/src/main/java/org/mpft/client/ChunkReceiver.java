package org.mpft.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Receives one chunk stream (server-opened, unidirectional): parses the {@link ChunkHeader} as its bytes
 * come in, checks it against the plan before buffering anything else, then gathers exactly
 * {@code header.length()} payload bytes into one pooled direct buffer (growing as they arrive) and hands header and buffer on as a
 * {@link DownloadEvent.ChunkArrived} (verification happens on the download's thread). Before it buffers the
 * payload it takes the chunk's length from the download's {@link ReceiveBudget}; when none is left it stops
 * reading the stream (QUIC flow control then holds the server back; only what was read already is kept) and
 * resumes when the budget wakes it. A stream that is short, long or malformed ends the download with
 * PROTOCOL_ERROR. The stream is closed when the server's FIN arrives (QUIC streams are half-closed
 * otherwise). One instance per stream, on the event loop.
 */
final class ChunkReceiver extends ChannelInboundHandlerAdapter {

    private final String server;
    private final LongFunction<ChunkVerifier> verifier;
    /** A chunk of a transfer without a verifier is dropped (a transfer that ended), not a protocol error. */
    private final boolean routed;
    private final ReceiveBudget budget;
    /** the connection's chunk streams in the server's order: the first may take its bytes over the budget */
    private final StreamOrder order;
    /** this stream's key in {@link #order} while it receives, else -1 */
    private long orderKey = -1;
    private final Consumer<DownloadEvent> events;
    private final ByteBufAllocator allocator;
    private ByteBuf head = Unpooled.buffer(ChunkHeader.MAX_ENCODED_LENGTH, ChunkHeader.MAX_ENCODED_LENGTH);
    private ChunkHeader header;
    private ByteBuf payload;
    /** bytes that arrived after the header while the chunk waits for budget */
    private ByteBuf waiting;
    /** the chunk's bytes are taken from the budget and not handed on yet */
    private boolean reserved;
    /** the server's FIN arrived while the chunk waited for budget */
    private boolean finished;
    private boolean delivered;
    private boolean failed;
    private boolean gone;
    private long firstByteNanos;

    /**
     * @param server    the server, {@code host:port}, for messages and per-path accounting
     * @param verifiers each transfer's verifier by the chunk header's transferId (null for a transfer the
     *                  connection does not run, or before its META)
     * @param routed    true on a connection shared by several transfers: a chunk of a transfer without a
     *                  verifier (one that ended) is dropped and its stream closed; false: a protocol error
     * @param budget    the chunk bytes buffered at once
     * @param order     the connection's chunk streams in the server's order (one per connection)
     * @param events    where complete chunks and failures go
     * @param allocator where payload buffers come from (a pooled direct allocator)
     */
    ChunkReceiver(String server, LongFunction<ChunkVerifier> verifiers, boolean routed, ReceiveBudget budget,
                  StreamOrder order, Consumer<DownloadEvent> events, ByteBufAllocator allocator) {
        this.server = server;
        this.budget = budget;
        this.order = order;
        this.verifier = verifiers;
        this.routed = routed;
        this.events = events;
        this.allocator = allocator;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime(); // the chunk's latency starts here (ChunkLatencies)
        }
        try {
            if (!failed) {
                consume(ctx, in);
            }
        } catch (MpftException e) {
            fail(ctx, e);
        } finally {
            in.release();
        }
    }

    private void consume(ChannelHandlerContext ctx, ByteBuf in) throws MpftException {
        if (header == null) {
            int take = Math.min(in.readableBytes(), head.writableBytes());
            head.writeBytes(in, take);
            ByteBuffer view = head.nioBuffer();
            ChunkHeader decoded = ChunkHeader.decodeNext(view);
            if (decoded == null) {
                return;
            }
            ChunkVerifier check = verifier.apply(decoded.transferId());
            if (check == null && routed) {
                failed = true; // a late chunk of a transfer that ended here: dropped, the connection goes on
                releaseBuffers();
                stopReceiving(ctx);
                return;
            }
            if (check == null) {
                throw new MpftException(ErrorCode.PROTOCOL_ERROR, server + " sent chunk " + decoded.chunk()
                        + " before META");
            }
            check.checkHeader(decoded, server);
            header = decoded;
            orderKey = order.begin(ctx.channel() instanceof QuicStreamChannel quic ? quic.streamId() : -1);
            head.readerIndex(head.readerIndex() + view.position());
            if (!reserve(ctx)) {
                keep(in);
                return;
            }
            startPayload();
        } else if (payload == null && !delivered) {
            keep(in); // still waiting for budget (bytes of the read that was under way when reading stopped)
            return;
        }
        appendPayload(in);
        deliverWhenComplete();
    }

    /** Takes the chunk's bytes from the budget; false (and the stream stops reading) when there are none. */
    private boolean reserve(ChannelHandlerContext ctx) {
        if (budget.tryTake(header.encodedLength(), () -> onLoop(ctx, () -> resume(ctx)), order.first(orderKey))) {
            reserved = true;
            return true;
        }
        ctx.channel().config().setAutoRead(false);
        return false;
    }

    /** The budget gave bytes back: takes this chunk's, then goes on with what arrived and reads again. */
    private void resume(ChannelHandlerContext ctx) {
        if (gone || failed || reserved) {
            return;
        }
        if (!reserve(ctx)) {
            return;
        }
        try {
            startPayload();
            if (waiting != null) {
                appendPayload(waiting);
                waiting.release();
                waiting = null;
            }
            deliverWhenComplete();
            if (finished) {
                endOfStream(ctx);
                return;
            }
        } catch (MpftException e) {
            fail(ctx, e);
            return;
        }
        ctx.channel().config().setAutoRead(true);
    }

    private static void onLoop(ChannelHandlerContext ctx, Runnable task) {
        try {
            ctx.channel().eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the client is closing: the stream goes with it
        }
    }

    /** Keeps the bytes of {@code in} that arrived while the chunk waits for budget. */
    private void keep(ByteBuf in) {
        if (!in.isReadable()) {
            return;
        }
        if (waiting == null) {
            waiting = Unpooled.buffer(in.readableBytes());
        }
        waiting.writeBytes(in);
    }

    private void startPayload() throws MpftException {
        // the bytes on the stream: the chunk's length, or less when compressed (checked against the plan). The
        // buffer has that length at once: the chunk took its bytes from the budget first, and a buffer grown as
        // bytes arrive copies what it holds at each step and spreads its sizes over the pool's arena chunks.
        payload = allocator.directBuffer(header.encodedLength(), header.encodedLength());
        appendPayload(head);
        head.release();
        head = null;
    }

    private void deliverWhenComplete() {
        if (!delivered && payload.maxWritableBytes() == 0) {
            delivered = true;
            ByteBuf complete = payload;
            payload = null;
            reserved = false; // the bytes go with the event: given back when it is released
            events.accept(new DownloadEvent.ChunkArrived(server, header, complete, firstByteNanos, budget));
            endReceiving();
        }
    }

    /** This stream receives no more: the next stream of the connection may be the first, woken to check. */
    private void endReceiving() {
        if (orderKey >= 0) {
            order.end(orderKey);
            orderKey = -1;
            budget.give(0);
        }
    }

    private void appendPayload(ByteBuf from) throws MpftException {
        int n = from.readableBytes();
        if (n == 0) {
            return;
        }
        if (delivered || payload == null || n > payload.maxWritableBytes()) {
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, server + " sent more than the "
                    + header.encodedLength() + " bytes of chunk " + header.chunk());
        }
        payload.writeBytes(from);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownReadComplete) {
            if (header != null && payload == null && !delivered && !failed) {
                finished = true; // the chunk waits for budget: its end is seen once it has it
                return;
            }
            endOfStream(ctx);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** The server's FIN: the chunk must be complete by now. */
    private void endOfStream(ChannelHandlerContext ctx) {
        if (!delivered && !failed) {
            String which = header == null ? "a chunk stream" : "chunk " + header.chunk();
            long got = header == null ? 0
                    : header.encodedLength() - (payload == null ? 0 : payload.maxWritableBytes());
            fail(ctx, new MpftException(ErrorCode.PROTOCOL_ERROR, server + " ended " + which + " after " + got
                    + " of " + (header == null ? "?" : header.encodedLength()) + " bytes"));
        }
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset stream (a cancelled transfer) or a dying connection: the connection's own close reports it.
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBuffers();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffers();
    }

    private void fail(ChannelHandlerContext ctx, MpftException e) {
        failed = true;
        releaseBuffers();
        events.accept(new DownloadEvent.Failed(e));
        stopReceiving(ctx);
    }

    /**
     * Drops the rest of this stream and closes it: STOP_SENDING tells the server to stop, and QUIC discards what
     * still arrives for it and counts it as read. A stream only closed keeps receiving into QUIC's buffers, which
     * nothing reads: each such chunk would take its bytes out of the connection's flow-control window for good,
     * until the window is gone and the connection stalls.
     */
    private static void stopReceiving(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof QuicStreamChannel stream && !stream.isInputShutdown()) {
            stream.shutdownInput(ErrorCode.CANCELLED.wireValue()).addListener(f -> ctx.close());
        } else {
            ctx.close();
        }
    }

    private void releaseBuffers() {
        gone = true;
        if (reserved) {
            reserved = false;
            budget.give(header.encodedLength());
        }
        endReceiving();
        if (waiting != null) {
            waiting.release();
            waiting = null;
        }
        if (head != null) {
            head.release();
            head = null;
        }
        if (payload != null) {
            payload.release();
            payload = null;
        }
    }
}
