package org.mpft.plugin.secondary;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The attachments of one client connection to a secondary: the one on its control stream and those on
 * further streams (a client with TRANSFER_STREAMS attaches each further transfer on a stream of its own).
 * Counts the ones in progress against {@code mpft.max-concurrent-transfers}. Used on the connection's event
 * loop only (every stream of a QUIC connection runs on it).
 */
final class ConnectionAttachments {

    private static final AttributeKey<ConnectionAttachments> KEY =
            AttributeKey.valueOf(ConnectionAttachments.class, "attachments");

    private final List<AttachHandler> handlers = new ArrayList<>();
    private AttachHandler control;

    /** The attachments of {@code connection}, made on first use. */
    static ConnectionAttachments of(Channel connection) {
        ConnectionAttachments made = new ConnectionAttachments();
        ConnectionAttachments existing = connection.attr(KEY).setIfAbsent(made);
        return existing != null ? existing : made;
    }

    /** The attachments of {@code connection}, or null when no client attached on it. */
    static ConnectionAttachments existing(Channel connection) {
        return connection.attr(KEY).get();
    }

    void add(AttachHandler handler, boolean onControl) {
        handlers.add(handler);
        if (onControl) {
            control = handler;
        }
    }

    void remove(AttachHandler handler) {
        handlers.remove(handler);
    }

    /** The handler on the control stream (it attached first), or null. */
    AttachHandler control() {
        return control;
    }

    /** The attachments in progress: checking a ticket, or serving a transfer the primary has not ended. */
    int inProgress() {
        int n = 0;
        for (AttachHandler handler : handlers) {
            if (handler.inProgress()) {
                n++;
            }
        }
        return n;
    }
}
