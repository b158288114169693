package org.mpft.plugin.secondary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mpft.plugin.cluster.Ticket;
import org.mpft.protocol.Bytes;

/**
 * Attaches that came before their registration, by ticket id. The primary answers its client (META) without waiting
 * for the secondary to confirm the registration, so a fast client can get here first. A waiting attach holds no
 * thread, only its entry here, until its registration is made, its transfer ends or is refused, or its wait is over;
 * whoever takes the entry out completes its outcome, so exactly one of them does. At most {@value #MAX} wait at once.
 * Not thread-safe: guarded by its {@link SecondaryTransfers}.
 */
final class WaitingAttaches {

    /** Attaches waiting at once, at most; more are refused at once. */
    static final int MAX = 256;

    /** One attach waiting: its verified ticket, and its outcome (the registration it claimed, or why not). */
    record Waiting(Ticket ticket, CompletableFuture<RegisteredTransfer> outcome) {
    }

    private final Map<Bytes, Waiting> byTicket = new HashMap<>();

    /** A new waiting attach with {@code ticket}; null when {@value #MAX} wait, or one waits with this ticket. */
    Waiting add(Ticket ticket) {
        if (byTicket.size() >= MAX || byTicket.containsKey(ticket.id())) {
            return null;
        }
        Waiting waiting = new Waiting(ticket, new CompletableFuture<>());
        byTicket.put(ticket.id(), waiting);
        return waiting;
    }

    /** Takes out the attach waiting with {@code ticketId}; null if none waits. */
    Waiting take(Bytes ticketId) {
        return byTicket.remove(ticketId);
    }

    /** Takes out {@code waiting} if it still waits; false when something else took it out first. */
    boolean take(Waiting waiting) {
        return byTicket.remove(waiting.ticket().id(), waiting);
    }

    /** Takes out every waiting attach. */
    List<Waiting> takeAll() {
        List<Waiting> all = new ArrayList<>(byTicket.values());
        byTicket.clear();
        return all;
    }

    /** Attaches waiting now. */
    int size() {
        return byTicket.size();
    }
}
