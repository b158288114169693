package org.mpft.plugin.secondary;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mpft.protocol.Bytes;

/**
 * The tickets of the latest transfers that ended on this secondary, or whose registration it refused. A client's
 * attach often comes after its transfer ended (the primary sent a small file whole before the client reached the
 * secondary): with its ticket remembered here, that attach is refused at once instead of waiting
 * {@link SecondaryTransfers#REGISTRATION_WAIT_MS} for a registration that will not come. The oldest are
 * forgotten past {@value #MAX}. Not thread-safe: guarded by its {@link SecondaryTransfers}.
 */
final class EndedTickets {

    /** Tickets remembered at most. */
    static final int MAX = 4096;

    private final Map<Bytes, Boolean> tickets = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, Boolean> eldest) {
            return size() > MAX;
        }
    };

    void add(Bytes ticketId) {
        tickets.put(ticketId, Boolean.TRUE);
    }

    boolean contains(Bytes ticketId) {
        return tickets.containsKey(ticketId);
    }
}
