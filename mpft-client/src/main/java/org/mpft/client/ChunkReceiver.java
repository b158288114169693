package org.mpft.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * Receives one chunk stream (server-opened, unidirectional): parses the {@link ChunkHeader} as its bytes
 * come in, checks it against the plan before buffering anything else, then gathers exactly
 * {@code header.length()} payload bytes into one pooled direct buffer (growing as they arrive) and hands header and buffer on as a
 * {@link DownloadEvent.ChunkArrived} (verification happens on the download's thread). A stream that is
 * short, long or malformed ends the download with PROTOCOL_ERROR. The stream is closed when the server's
 * FIN arrives (QUIC streams are half-closed otherwise). One instance per stream, on the event loop.
 */
final class ChunkReceiver extends ChannelInboundHandlerAdapter {

    /** A chunk's buffer starts at most this big and grows to the chunk's length as bytes arrive. */
    static final int INITIAL_PAYLOAD_CAPACITY = 4 << 20;

    private final String server;
    private final Supplier<ChunkVerifier> verifier;
    private final Consumer<DownloadEvent> events;
    private final ByteBufAllocator allocator;
    private ByteBuf head = Unpooled.buffer(ChunkHeader.MAX_ENCODED_LENGTH, ChunkHeader.MAX_ENCODED_LENGTH);
    private ChunkHeader header;
    private ByteBuf payload;
    private boolean delivered;
    private boolean failed;
    private long firstByteNanos;

    /**
     * @param server    the server, {@code host:port}, for messages and per-path accounting
     * @param verifier  the transfer's verifier (null until META arrived)
     * @param events    where complete chunks and failures go
     * @param allocator where payload buffers come from (a pooled direct allocator)
     */
    ChunkReceiver(String server, Supplier<ChunkVerifier> verifier, Consumer<DownloadEvent> events,
                  ByteBufAllocator allocator) {
        this.server = server;
        this.verifier = verifier;
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
            ChunkVerifier check = verifier.get();
            if (check == null) {
                throw new MpftException(ErrorCode.PROTOCOL_ERROR, server + " sent chunk " + decoded.chunk()
                        + " before META");
            }
            check.checkHeader(decoded, server);
            header = decoded;
            head.readerIndex(head.readerIndex() + view.position());
            // the bytes on the stream: the chunk's length, or less when compressed (checked against the plan).
            // The buffer starts at up to 4 MiB and grows as bytes arrive: eight 16 MiB chunks opened at once would
            // otherwise hold 128 MiB of (zeroed, resident) memory while the connection window lets 32 MiB travel.
            payload = allocator.directBuffer(Math.min(header.encodedLength(), INITIAL_PAYLOAD_CAPACITY),
                    header.encodedLength());
            appendPayload(head);
            head.release();
            head = null;
        }
        appendPayload(in);
        if (!delivered && payload.maxWritableBytes() == 0) {
            delivered = true;
            ByteBuf complete = payload;
            payload = null;
            events.accept(new DownloadEvent.ChunkArrived(server, header, complete, firstByteNanos));
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
            if (!delivered && !failed) {
                String which = header == null ? "a chunk stream" : "chunk " + header.chunk();
                long got = header == null ? 0
                        : header.encodedLength() - (payload == null ? 0 : payload.maxWritableBytes());
                fail(ctx, new MpftException(ErrorCode.PROTOCOL_ERROR, server + " ended " + which + " after " + got
                        + " of " + (header == null ? "?" : header.encodedLength()) + " bytes"));
            }
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
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
        ctx.close();
    }

    private void releaseBuffers() {
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
