package org.mpft.plugin.secondary;

import org.mpft.plugin.cluster.ClusterSecret;
import org.mpft.plugin.cluster.Ticket;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.mpft.api.AccessDenied;
import org.mpft.api.AuthenticationFailed;
import org.mpft.api.HostContext;
import org.mpft.api.HostException;
import org.mpft.api.InvalidPath;
import org.mpft.api.NoSuchFile;
import org.mpft.api.Principal;
import org.mpft.api.ReadableFile;
import org.mpft.protocol.Bytes;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;
import org.mpft.protocol.RegisterTransfer;
import org.mpft.protocol.RemotePath;

/**
 * A secondary's transfers: what its primaries registered (REGISTER_TRANSFER), which client attached to
 * each with its ticket (ATTACH), and which chunks each primary assigned (SEND_CHUNK). Thread-safe.
 *
 * <p>At registration the secondary looks the user up through its own host ({@code Authenticator.lookup}),
 * opens the file through its own host's {@code FileAccess} (so its own access rules apply) and refuses a
 * copy whose size or mtime differs from the primary's ({@link ErrorCode#STALE_FILE}). The file stays open
 * for the transfer. The content check is per chunk: the secondary reports the checksum of the bytes it
 * read in CHUNK_SENT and the primary compares it with its own digest of that chunk (and the client checks
 * the chunk against the primary's digest before it accepts it), so a copy with equal size and mtime but
 * other bytes never reaches the final file.
 *
 * <p>Transfer ids are unique per primary, so transfers are keyed by (primary name, transfer id); tickets
 * by their random id. A transfer nobody attached to is forgotten when its ticket expires.
 */
public final class SecondaryTransfers implements AutoCloseable {

    /** The most transfers registered at once, over all primaries. */
    public static final int DEFAULT_MAX_TRANSFERS = 1024;

    private record Key(String primary, long transferId) {
    }

    private final ClusterSecret secret;
    private final String name;
    private final HostContext host;
    private final LongSupplier wallClock;
    private final long maxTicketLifetimeMillis;
    private final int maxTransfers;
    private final Map<Key, RegisteredTransfer> byTransfer = new HashMap<>();
    private final Map<Bytes, RegisteredTransfer> byTicket = new HashMap<>();

    /**
     * How long a client's attach with a genuine ticket waits for its registration, milliseconds: the primary
     * answers the client (META) without waiting for its REGISTER_TRANSFER to be confirmed, so a fast client can
     * reach this secondary before the registration did.
     */
    static final long REGISTRATION_WAIT_MS = 2000;

    private final WaitingAttaches waiting = new WaitingAttaches();
    private final EndedTickets ended = new EndedTickets();

    /**
     * @param secret       the cluster secret (tickets are checked with it)
     * @param name         this secondary's name; tickets for other secondaries are refused
     * @param host         this secondary's host: its user store and its file access
     * @param wallClock    milliseconds since the epoch ({@link System#currentTimeMillis} outside tests)
     * @param maxTicketLifetime the longest a client's ticket may still be valid when it attaches
     *                     ({@code mpft.cluster.max-ticket-lifetime}); a longer-lived ticket is refused
     * @param maxTransfers the most transfers registered at once
     */
    public SecondaryTransfers(ClusterSecret secret, String name, HostContext host, LongSupplier wallClock,
                              Duration maxTicketLifetime, int maxTransfers) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.name = Objects.requireNonNull(name, "name");
        this.host = Objects.requireNonNull(host, "host");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.maxTicketLifetimeMillis = maxTicketLifetime.toMillis();
        this.maxTransfers = maxTransfers;
    }

    /**
     * Registers a transfer for {@code primary}: the user must exist on this host and may read the file,
     * and this host's copy must have the primary's size and mtime. Blocking (host calls): run it off the
     * event loop.
     *
     * @throws MpftException ACCESS_DENIED, FILE_NOT_FOUND, INVALID_PATH, STALE_FILE, LIMIT_EXCEEDED,
     *                       INVALID_TICKET (already expired) or INTERNAL_ERROR, naming the file
     */
    RegisteredTransfer register(String primary, RegisterTransfer registration) throws MpftException {
        try {
            return registerChecked(primary, registration);
        } catch (MpftException e) {
            WaitingAttaches.Waiting refused = null;
            synchronized (this) {
                if (!byTicket.containsKey(registration.ticketId())) { // refused: its client need not wait for it
                    ended.add(registration.ticketId());
                    refused = waiting.take(registration.ticketId());
                }
            }
            if (refused != null) {
                refused.outcome().completeExceptionally(endedBeforeAttach(refused.ticket()));
            }
            throw e;
        }
    }

    private RegisteredTransfer registerChecked(String primary, RegisterTransfer registration) throws MpftException {
        Objects.requireNonNull(primary, "primary");
        if (registration.expiresAtMillis() <= wallClock.getAsLong()) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "transfer " + registration.transferId()
                    + " registered with a ticket that already expired");
        }
        RemotePath.validate(registration.path());
        Principal user;
        try {
            user = host.authenticator().lookup(registration.user());
        } catch (AuthenticationFailed e) {
            throw new MpftException(ErrorCode.ACCESS_DENIED, "user " + registration.user() + " is unknown on "
                    + name);
        }
        ReadableFile file = open(user, registration.path());
        if (file.size() != registration.size() || file.lastModifiedMillis() != registration.mtimeMillis()) {
            String message = registration.path() + " on " + name + " is " + file.size() + " bytes, mtime "
                    + file.lastModifiedMillis() + "; the primary's is " + registration.size() + " bytes, mtime "
                    + registration.mtimeMillis();
            closeQuietly(file);
            throw new MpftException(ErrorCode.STALE_FILE, message);
        }
        RegisteredTransfer registered = new RegisteredTransfer(primary, registration, user, file);
        List<RegisteredTransfer> replaced = new ArrayList<>();
        WaitingAttaches.Waiting attach;
        RegisteredTransfer claimed = null;
        MpftException unclaimed = null;
        synchronized (this) {
            expire(replaced);
            RegisteredTransfer old = byTransfer.remove(new Key(primary, registration.transferId()));
            if (old != null) {
                byTicket.remove(old.ticketId());
                replaced.add(old);
            }
            if (byTransfer.size() >= maxTransfers || byTicket.containsKey(registration.ticketId())) {
                replaced.add(registered);
                closeAll(replaced);
                throw new MpftException(ErrorCode.LIMIT_EXCEEDED, name + " holds " + byTransfer.size()
                        + " transfers, its limit");
            }
            byTransfer.put(new Key(primary, registration.transferId()), registered);
            byTicket.put(registration.ticketId(), registered);
            attach = waiting.take(registration.ticketId());
            if (attach != null) {
                try {
                    claimed = claim(attach.ticket(), registered, wallClock.getAsLong());
                } catch (MpftException e) {
                    unclaimed = e;
                }
            }
        }
        closeAll(replaced);
        if (attach != null) { // outside the lock: whatever follows the attach runs here
            if (claimed != null) {
                attach.outcome().complete(claimed);
            } else {
                attach.outcome().completeExceptionally(unclaimed);
            }
        }
        return registered;
    }

    /**
     * A client attaches with a ticket: it must verify ({@link Ticket#verify}), be for a transfer registered
     * here with exactly the ticket's fields, and not be in use by another client. A verified ticket whose
     * registration has not arrived yet waits for it (in {@link WaitingAttaches}, holding no thread) until
     * {@code afterWait} runs the task it is handed, which it should after {@link #REGISTRATION_WAIT_MS}; at most
     * {@value WaitingAttaches#MAX} wait at once, more are refused at once. Never blocks.
     *
     * @param afterWait schedules a task {@code REGISTRATION_WAIT_MS} from now: the wait's end, run only when the attach
     *                  waits (on a netty event loop, say, or by a test's hand)
     * @return the registration this client attached to, now or once it is made; completed exceptionally with an
     *         {@link MpftException} INVALID_TICKET naming what failed
     */
    CompletableFuture<RegisteredTransfer> attach(Bytes sealedTicket, BiConsumer<Long, Runnable> afterWait) {
        long now = wallClock.getAsLong();
        WaitingAttaches.Waiting wait;
        try {
            Ticket ticket = Ticket.verify(sealedTicket, secret, name, now, maxTicketLifetimeMillis);
            synchronized (this) {
                RegisteredTransfer registered = byTicket.get(ticket.id());
                if (registered != null) {
                    return CompletableFuture.completedFuture(claim(ticket, registered, now));
                }
                if (ended.contains(ticket.id())) {
                    throw endedBeforeAttach(ticket);
                }
                wait = waiting.add(ticket);
                if (wait == null) {
                    throw notRegistered(ticket);
                }
            }
        } catch (MpftException e) {
            return CompletableFuture.failedFuture(e);
        }
        afterWait.accept(REGISTRATION_WAIT_MS, () -> {
            boolean gaveUp;
            synchronized (this) {
                gaveUp = waiting.take(wait);
            }
            if (gaveUp) {
                wait.outcome().completeExceptionally(notRegistered(wait.ticket()));
            }
        });
        return wait.outcome();
    }

    /** Marks {@code registered} attached by the client of {@code ticket}, when the ticket is for it. Under the lock. */
    private RegisteredTransfer claim(Ticket ticket, RegisteredTransfer registered, long now) throws MpftException {
        RegisterTransfer r = registered.registration();
        if (r.transferId() != ticket.transferId() || !r.user().equals(ticket.user())
                || !r.path().equals(ticket.path()) || r.size() != ticket.size()
                || r.mtimeMillis() != ticket.mtimeMillis() || r.chunkSize() != ticket.chunkSize()) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "the ticket is for another transfer than "
                    + registered);
        }
        if (now >= r.expiresAtMillis()) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "the registration of " + registered + " expired");
        }
        if (registered.attached) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "another client already attached to "
                    + registered + " with this ticket");
        }
        registered.attached = true;
        return registered;
    }

    private MpftException endedBeforeAttach(Ticket ticket) {
        return new MpftException(ErrorCode.INVALID_TICKET, "transfer " + ticket.transferId() + " ended on "
                + name + " (or was not taken) before this client attached");
    }

    private MpftException notRegistered(Ticket ticket) {
        return new MpftException(ErrorCode.INVALID_TICKET, "no transfer " + ticket.transferId()
                + " is registered on " + name + " for this ticket");
    }

    /** Attaches waiting for their registration now. */
    synchronized int waitingAttaches() {
        return waiting.size();
    }

    /**
     * The primary assigns {@code chunk} of its transfer to this secondary (SEND_CHUNK).
     *
     * @throws MpftException INVALID_TICKET when the transfer is not registered here (or ended), PROTOCOL_ERROR
     *                       when the chunk is outside the file or its offset/length do not match the plan
     */
    synchronized RegisteredTransfer assign(String primary, long transferId, int chunk, long offset, int length)
            throws MpftException {
        RegisteredTransfer registered = byTransfer.get(new Key(primary, transferId));
        if (registered == null) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "transfer " + transferId + " of " + primary
                    + " is not registered on " + name);
        }
        if (chunk >= registered.plan().chunkCountLong() || registered.plan().offset(chunk) != offset
                || registered.plan().length(chunk) != length) {
            throw new MpftException(ErrorCode.PROTOCOL_ERROR, "chunk " + chunk + " at " + offset + " (" + length
                    + " bytes) is not a chunk of " + registered);
        }
        registered.assigned.set(chunk);
        return registered;
    }

    /**
     * Whether the client attached to {@code registered} may receive {@code chunk} from this secondary: the
     * primary assigned it here.
     */
    synchronized boolean isAssigned(RegisteredTransfer registered, int chunk) {
        return chunk >= 0 && registered.assigned.get(chunk);
    }

    /** The client of {@code registered} asked for {@code chunk}; refuses chunks the primary did not assign here. */
    void checkAssigned(RegisteredTransfer registered, int chunk) throws MpftException {
        if (!isAssigned(registered, chunk)) {
            throw new MpftException(ErrorCode.INVALID_TICKET, "chunk " + chunk + " of " + registered
                    + " was not assigned to " + name);
        }
    }

    /** The transfer of {@code primary} ended (END_TRANSFER, the link closed): forgets it and closes its file. */
    void end(String primary, long transferId) {
        RegisteredTransfer removed;
        synchronized (this) {
            removed = byTransfer.remove(new Key(primary, transferId));
            if (removed != null) {
                byTicket.remove(removed.ticketId());
                ended.add(removed.ticketId());
            }
        }
        if (removed != null) {
            closeQuietly(removed.file());
        }
    }

    /** Every transfer of {@code primary} ends (its link closed). */
    void endAll(String primary) {
        List<RegisteredTransfer> removed = new ArrayList<>();
        synchronized (this) {
            byTransfer.values().removeIf(r -> {
                if (r.primary().equals(primary)) {
                    removed.add(r);
                    byTicket.remove(r.ticketId());
                    ended.add(r.ticketId());
                    return true;
                }
                return false;
            });
        }
        closeAll(removed);
    }

    /** The registered transfer of {@code primary}, or null. */
    synchronized RegisteredTransfer find(String primary, long transferId) {
        return byTransfer.get(new Key(primary, transferId));
    }

    /** The number of transfers registered. */
    synchronized int size() {
        return byTransfer.size();
    }

    /** Forgets expired registrations that no client attached to. */
    void expire() {
        List<RegisteredTransfer> expired = new ArrayList<>();
        synchronized (this) {
            expire(expired);
        }
        closeAll(expired);
    }

    private void expire(List<RegisteredTransfer> into) {
        long now = wallClock.getAsLong();
        byTransfer.values().removeIf(r -> {
            if (!r.attached && now >= r.registration().expiresAtMillis()) {
                byTicket.remove(r.ticketId());
                into.add(r);
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        List<RegisteredTransfer> all;
        List<WaitingAttaches.Waiting> stopped;
        synchronized (this) {
            all = new ArrayList<>(byTransfer.values());
            byTransfer.clear();
            byTicket.clear();
            stopped = waiting.takeAll();
        }
        closeAll(all);
        stopped.forEach(w -> w.outcome().completeExceptionally(new MpftException(ErrorCode.SERVER_UNAVAILABLE,
                name + " is shutting down")));
    }

    private ReadableFile open(Principal user, String path) throws MpftException {
        try {
            return host.fileAccess().openForRead(user, path);
        } catch (NoSuchFile e) {
            throw new MpftException(ErrorCode.FILE_NOT_FOUND, "no such file on " + name + ": " + path);
        } catch (AccessDenied | AuthenticationFailed e) {
            throw new MpftException(ErrorCode.ACCESS_DENIED, "access denied on " + name + ": " + path);
        } catch (InvalidPath e) {
            throw new MpftException(ErrorCode.INVALID_PATH, "invalid path on " + name + ": " + path);
        } catch (HostException | IOException | RuntimeException e) {
            throw new MpftException(ErrorCode.INTERNAL_ERROR, "cannot open " + path + " on " + name
                    + " (its log says why)", e);
        }
    }

    private static void closeAll(List<RegisteredTransfer> registrations) {
        for (RegisteredTransfer r : registrations) {
            closeQuietly(r.file());
        }
    }

    private static void closeQuietly(ReadableFile file) {
        try {
            file.close();
        } catch (IOException | RuntimeException e) {
            // nothing more to do with a file we only read
        }
    }
}
