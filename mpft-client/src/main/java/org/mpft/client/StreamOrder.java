package org.mpft.client;

import java.util.TreeSet;

/**
 * The chunk streams of one connection that are receiving a chunk (header read, payload not complete), in the
 * order the server sends them: by stream id, since a server sends its chunk streams of equal priority one
 * after another, lowest id first. The first of them may always take its bytes from the {@link ReceiveBudget}:
 * its bytes are the next to come, so a later stream that holds the budget while the first waits unread would
 * stall the connection once the unread bytes fill its flow-control window. Thread-safe.
 */
final class StreamOrder {

    private final TreeSet<Long> receiving = new TreeSet<>();
    /** keys for channels without a QUIC stream id (embedded test channels): their order of arrival */
    private long arrivals;

    /**
     * A stream read its chunk's header: it receives from now on.
     *
     * @param streamId the QUIC stream's id, or -1 for a channel without one (ordered by arrival then)
     * @return its key in the order
     */
    synchronized long begin(long streamId) {
        long key = streamId >= 0 ? streamId : arrivals++;
        receiving.add(key);
        return key;
    }

    /** True when {@code key} is the first stream of the connection still receiving. */
    synchronized boolean first(long key) {
        return !receiving.isEmpty() && receiving.first() == key;
    }

    /** The stream's chunk is complete, or the stream ended. */
    synchronized void end(long key) {
        receiving.remove(key);
    }
}
