package org.mpft.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Routes the chunk streams of one connection by the {@code transferId} of their header to the transfer that
 * runs on that connection under that id. A chunk of an id no transfer holds (one that ended) has no sink: the
 * caller releases its buffer. Thread-safe.
 */
final class TransferRoutes {

    private final Map<Long, Consumer<DownloadEvent>> sinks = new ConcurrentHashMap<>();

    /** From now on the chunks of {@code transferId} go to {@code sink}. */
    void add(long transferId, Consumer<DownloadEvent> sink) {
        sinks.put(transferId, sink);
    }

    /** The chunks of {@code transferId} go nowhere from now on. */
    void remove(long transferId) {
        sinks.remove(transferId);
    }

    /** Where the chunks of {@code transferId} go, or null when no transfer on this connection has that id. */
    Consumer<DownloadEvent> sink(long transferId) {
        return sinks.get(transferId);
    }
}
