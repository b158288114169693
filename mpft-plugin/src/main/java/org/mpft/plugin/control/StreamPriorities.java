package org.mpft.plugin.control;

import io.netty.handler.codec.quic.QuicStreamPriority;

/**
 * How quiche orders what a connection sends (RFC 9218 urgency, lower first). quiche sends, among streams
 * of the same urgency, the non-incremental ones first and in stream order, and incremental ones only when
 * no non-incremental stream has data. Chunk streams are non-incremental (a chunk completes before the next
 * starts); the control stream therefore needs a lower urgency than theirs, or its frames (CHUNK_DIGESTS,
 * which the secondaries' chunks wait for at the client; errors; DONE) queue behind every chunk byte in
 * flight on the primary's path, and the secondaries' paths slow down to the primary's queue.
 */
public final class StreamPriorities {

    /** The control stream: first, always. */
    public static final QuicStreamPriority CONTROL = new QuicStreamPriority(0, true);

    /** A chunk stream: after control frames, one chunk after another. */
    public static final QuicStreamPriority CHUNK = new QuicStreamPriority(3, false);

    private StreamPriorities() {
    }
}
