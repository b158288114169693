package org.mpft.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Where a connection's chunk streams go, by the transferId in their header: each transfer on the connection
 * has its sink while it runs. A chunk of a transfer that is not (or no longer) here has no sink: the caller
 * releases its buffer, so a transfer's late chunks never reach the next one. Thread-safe.
 */
final class TransferRoutes {

    private final Map<Long, Consumer<DownloadEvent>> sinks = new ConcurrentHashMap<>();

    /** Chunks of {@code transferId} go to {@code sink} from now on (replacing an earlier sink of that id). */
    void add(long transferId, Consumer<DownloadEvent> sink) {
        sinks.put(transferId, java.util.Objects.requireNonNull(sink, "sink"));
    }

    /** The transfer ended here: its chunks have no sink any more. */
    void remove(long transferId) {
        sinks.remove(transferId);
    }

    /** The sink of {@code transferId}, or null when no transfer on this connection has that id. */
    Consumer<DownloadEvent> sink(long transferId) {
        return sinks.get(transferId);
    }
}
