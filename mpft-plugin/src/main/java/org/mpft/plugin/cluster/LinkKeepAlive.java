package org.mpft.plugin.cluster;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.mpft.protocol.EndTransfer;
import org.mpft.protocol.LinkPing;

/**
 * What keeps an up cluster link open and notices when its secondary falls silent, on the link stream's event
 * loop: the {@link LinkLiveness} pings, or for a secondary that predates LINK_PING the QUIC keep-alive.
 */
final class LinkKeepAlive {

    /** The transfer id of keep-alive END_TRANSFER frames: never a real transfer (ids are non-negative). */
    static final long KEEPALIVE_TRANSFER = -1;

    private LinkKeepAlive() {
    }

    /**
     * Starts pinging the secondary on {@code s} every quarter of {@code linkTimeout}.
     *
     * @param silent called once, with the silence in milliseconds, when nothing was heard for the timeout
     * @param slow   called with the round trip in milliseconds of a LINK_PONG that took a period or more
     * @return the check: call {@link LinkLiveness#heard()} on every frame, {@link LinkLiveness#stop()} at the end
     */
    static LinkLiveness pings(QuicStreamChannel s, Duration linkTimeout, LongConsumer silent, LongConsumer slow) {
        LinkLiveness liveness = new LinkLiveness(linkTimeout, System::nanoTime, (task, millis) -> {
            try {
                s.eventLoop().schedule(task, millis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the transport is shutting down
            }
        }, new LinkLiveness.Peer() {
            @Override
            public void ping(long sequence) {
                s.writeAndFlush(new LinkPing(sequence));
            }

            @Override
            public void silent(long silentMillis) {
                silent.accept(silentMillis);
            }

            @Override
            public void slow(long roundTripMillis) {
                slow.accept(roundTripMillis);
            }
        });
        liveness.start();
        return liveness;
    }

    /**
     * Keeps a link to a secondary that predates LINK_PING open and lets a dead one close: QUIC closes a
     * connection that received nothing for its idle timeout (the link timeout), so every quarter of it the
     * primary sends END_TRANSFER for transfer -1, which the secondary ignores and its QUIC acknowledges. While
     * the secondary answers, the acknowledgements keep the connection alive; when it stops, the idle timeout
     * closes the link.
     *
     * @param current true while {@code s} is still the link's stream
     */
    static void endTransfers(QuicStreamChannel s, Duration linkTimeout, BooleanSupplier current) {
        long period = LinkLiveness.period(linkTimeout).toMillis();
        s.eventLoop().schedule(() -> {
            if (s.isActive() && current.getAsBoolean()) {
                s.writeAndFlush(new EndTransfer(KEEPALIVE_TRANSFER));
                endTransfers(s, linkTimeout, current);
            }
        }, period, TimeUnit.MILLISECONDS);
    }
}
