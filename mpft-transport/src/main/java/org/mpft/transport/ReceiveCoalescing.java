package org.mpft.transport;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Holds a client's next read back for a moment while packets trickle in, so that a wake-up of the event loop
 * reads several datagrams and QUIC acknowledges them with one packet. Where a path delivers its packets one by
 * one (a long path paced by its bottleneck) each read found one or two datagrams, and each read cost a
 * wake-up, a {@code recvmmsg}, quiche's processing and an acknowledgement that the server processes too: about
 * twice the CPU per byte of a path whose packets arrive in bursts.
 *
 * <p>The rule: after a small read (fewer than {@code few} datagrams) that came within twice {@code hold} of the
 * read before it (a steady stream, not a reply after a pause), while the moving average of datagrams per read
 * (weight 1/4) is small too, reading stops for {@code hold} and then resumes; what arrived meanwhile is read at
 * once. The average keeps the hold off a path whose packets come in bursts: there the last read of a burst is
 * small too, and a hold after it only costs the two system calls that turn reading off and on. The hold is
 * short against a long path's round trip and against quiche's acknowledgement delay (25 ms); the sender learns
 * of it from the acknowledgement's delay field.
 *
 * <p>One per datagram channel (not sharable); runs on the channel's event loop only.
 */
final class ReceiveCoalescing extends ChannelInboundHandlerAdapter {

    /** A read of fewer datagrams than this is small (or of fewer than a read takes at most). */
    static final int FEW = 8;

    /** The moving average's weight, as a shift: 1/4. */
    private static final int WEIGHT_SHIFT = 2;
    /** The moving average is kept in sixteenths of a datagram. */
    private static final int SCALE_SHIFT = 4;

    private final long holdNanos;
    private final int few;
    private final LongSupplier nanoClock;

    private int datagrams;
    private boolean readBefore;
    private long lastReadNanos;
    /** datagrams per read, moving average, in sixteenths; starts at {@code few}: no hold until reads are small */
    private int averageScaled;
    private boolean holding;

    /**
     * @param holdNanos how long reading stops after a small read of a trickle, nanoseconds (positive)
     * @param few       a read of fewer datagrams than this is small (at least 2)
     * @param nanoClock the monotonic clock ({@link System#nanoTime} outside tests)
     */
    ReceiveCoalescing(long holdNanos, int few, LongSupplier nanoClock) {
        if (holdNanos <= 0 || few < 2) {
            throw new IllegalArgumentException("holdNanos must be positive and few at least 2: " + holdNanos
                    + ", " + few);
        }
        this.holdNanos = holdNanos;
        this.few = few;
        this.nanoClock = nanoClock;
        this.averageScaled = few << SCALE_SHIFT;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        datagrams++;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        int read = datagrams;
        datagrams = 0;
        boolean trickle = false;
        if (read > 0) {
            long now = nanoClock.getAsLong();
            averageScaled += ((read << SCALE_SHIFT) - averageScaled) >> WEIGHT_SHIFT;
            trickle = readBefore && read < few && averageScaled < few << SCALE_SHIFT
                    && now - lastReadNanos < 2 * holdNanos;
            readBefore = true;
            lastReadNanos = now;
        }
        ctx.fireChannelReadComplete();
        ChannelConfig config = ctx.channel().config();
        if (trickle && !holding && config.isAutoRead()) {
            holding = true;
            config.setAutoRead(false);
            ctx.executor().schedule(() -> resume(config), holdNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void resume(ChannelConfig config) {
        holding = false;
        config.setAutoRead(true);
    }
}
