package org.mpft.plugin.secondary;

import java.util.HashMap;
import java.util.Map;

/**
 * The registrations of one cluster link still on their way through the secondary's registration threads (a registration
 * opens the file through the host, so it runs off the event loop), and what overtook them: END_TRANSFER and the
 * link's end are handled on the event loop as they arrive, and under load they arrive before the registration they
 * end was made. Such a registration must end as soon as it is made: left in place, it would hold its file and a
 * place under the secondary's limit of transfers for good once a client attached to it (only unattached ones
 * expire), and a secondary full of them refuses every later transfer. Thread-safe.
 */
final class PendingRegistrations {

    /** transfer id -> whether END_TRANSFER came while its registration was under way */
    private final Map<Long, Boolean> pending = new HashMap<>();
    private boolean linkGone;

    /** A REGISTER_TRANSFER was handed to the registration threads. */
    synchronized void started(long transferId) {
        pending.put(transferId, false);
    }

    /**
     * END_TRANSFER for {@code transferId}: true when its registration is still under way, which then ends the
     * transfer itself ({@link #finished}); false when the transfer is to be ended now.
     */
    synchronized boolean endWhenRegistered(long transferId) {
        if (!pending.containsKey(transferId)) {
            return false;
        }
        pending.put(transferId, true);
        return true;
    }

    /** The link closed: the registrations still under way end as they are made. */
    synchronized void linkGone() {
        linkGone = true;
    }

    /**
     * The registration of {@code transferId} was made, or refused.
     *
     * @return true when the transfer ended (or its link closed) meanwhile: the caller ends what it registered
     */
    synchronized boolean finished(long transferId) {
        Boolean ended = pending.remove(transferId);
        return linkGone || Boolean.TRUE.equals(ended);
    }

    /** The registrations under way now. */
    synchronized int size() {
        return pending.size();
    }
}
