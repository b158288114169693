package org.mpft.plugin.primary;

import org.mpft.plugin.send.ChunkOutlet;
import org.mpft.plugin.send.ChunkPrefetcher;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.SendBudget;
import org.mpft.plugin.send.Transfer;
import org.mpft.transport.EventLoops;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * The primary's own path: keeps up to {@code window} chunks of one transfer in flight (being read, being
 * sent, or sent and waiting for the client's ACK), reading each on the I/O pool with a
 * {@link ChunkReader} and handing it to a {@link ChunkOutlet}. A slot frees when the
 * {@link ChunkCoordinator} settles the chunk. Before it reads a chunk it takes the chunk's bytes from the
 * connection's {@link SendBudget}; when there are none it reads nothing more until bytes are given back (a
 * client that stalls its streams stalls its own sender, not the server's memory). It knows which of its
 * chunks QUIC has taken completely ({@link #sending}): an ACK for any other is a client's lie. Confined to
 * the session's event loop, except the reads.
 */
final class ChunkSender implements ChunkPath {

    private final String name;
    private final Transfer transfer;
    private final ChunkCoordinator coordinator;
    private final ChunkReader reader;
    private final ChunkOutlet outlet;
    private final Executor io;
    private final Executor loop;
    private final int window;
    private final BiConsumer<Integer, Exception> onFailure;
    private final ChunkPrefetcher prefetcher;
    private final SendBudget.Connection budget;
    private final Set<Integer> inFlight = new HashSet<>();
    /** the budget leases of chunks in flight (a chunk handed out but not leased yet has none) */
    private final Map<Integer, SendBudget.Lease> leases = new HashMap<>();
    /** a chunk handed out that waits for budget; -1 for none */
    private int waiting = -1;
    /** true while a wake-up of the budget is registered (no second one is) */
    private boolean awaitingBudget;
    private boolean stopped;
    private long chunksSent;
    private long bytesSent;

    /**
     * @param name        the path's name ({@code primary})
     * @param transfer    the transfer
     * @param coordinator hands out the chunks
     * @param reader      reads them
     * @param outlet      sends them
     * @param io          where reads run
     * @param loop        the session's event loop
     * @param window      the most chunks in flight
     * @param onFailure   called on the loop with the chunk and the cause when a chunk cannot be read or sent
     * @param prefetcher  the path's {@link ChunkPrefetcher} (closed by {@link #stop}), or null for none
     * @param budget      the connection's budget of bytes held for sending
     */
    ChunkSender(String name, Transfer transfer, ChunkCoordinator coordinator, ChunkReader reader, ChunkOutlet outlet,
                Executor io, Executor loop, int window, BiConsumer<Integer, Exception> onFailure,
                ChunkPrefetcher prefetcher, SendBudget.Connection budget) {
        if (window < 1) {
            throw new IllegalArgumentException("window < 1");
        }
        this.name = name;
        this.transfer = transfer;
        this.coordinator = coordinator;
        this.reader = reader;
        this.outlet = outlet;
        this.io = io;
        this.loop = loop;
        this.window = window;
        this.onFailure = onFailure;
        this.prefetcher = prefetcher;
        this.budget = java.util.Objects.requireNonNull(budget, "budget");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void wake() {
        pump();
    }

    @Override
    public void release(int chunk) {
        inFlight.remove(chunk);
        leases.remove(chunk); // the lease itself ends with its stream
        if (waiting == chunk) {
            waiting = -1;
        }
        pump();
    }

    /** True while {@code chunk} is this path's and QUIC has not taken all of it yet (waiting, read or being written). */
    @Override
    public boolean sending(int chunk) {
        if (!inFlight.contains(chunk)) {
            return false;
        }
        SendBudget.Lease lease = leases.get(chunk);
        return lease == null || !lease.isWritten();
    }

    /** Chunks in flight now. */
    int inFlight() {
        return inFlight.size();
    }

    /** Chunks handed to the outlet so far (resends included). */
    long chunksSent() {
        return chunksSent;
    }

    /** Payload bytes handed to the outlet so far (resends included). */
    long bytesSent() {
        return bytesSent;
    }

    /** Stops reading and sending; chunks on their way are aborted and their buffers released. */
    void stop() {
        stopped = true;
        outlet.abortAll();
        if (prefetcher != null) {
            prefetcher.close();
        }
    }

    private void pump() {
        if (stopped || awaitingBudget) {
            return; // the budget's wake-up pumps again
        }
        if (waiting >= 0) {
            if (!leaseThenRead(waiting)) {
                return;
            }
            waiting = -1;
        }
        while (!stopped && inFlight.size() < window) {
            int chunk = coordinator.next(this);
            if (chunk < 0) {
                return;
            }
            inFlight.add(chunk);
            if (prefetcher != null) {
                prefetcher.claim(chunk); // the read below takes it, whatever the next ahead() says
            }
            if (!leaseThenRead(chunk)) {
                waiting = chunk;
                return;
            }
        }
        if (!stopped && prefetcher != null) {
            prefetcher.ahead(coordinator.upcoming(this, prefetcher.depth()));
        }
    }

    /** Takes the chunk's bytes from the budget and starts its read; false (nothing started) when the budget is spent. */
    private boolean leaseThenRead(int chunk) {
        SendBudget.Lease lease = budget.tryTake(transfer.plan().length(chunk), this::budgetFreed);
        if (lease == null) {
            awaitingBudget = true;
            return false;
        }
        leases.put(chunk, lease);
        readThenSend(chunk, lease);
        return true;
    }

    /** Bytes were given back (any thread): pump again on the loop. */
    private void budgetFreed() {
        onLoop(() -> {
            awaitingBudget = false;
            pump();
        });
    }

    private void readThenSend(int chunk, SendBudget.Lease lease) {
        try {
            io.execute(() -> {
                ChunkReader.ReadChunk read;
                try {
                    read = reader.read(transfer, chunk, prefetcher);
                } catch (IOException | RuntimeException e) {
                    lease.close();
                    onLoop(() -> fail(chunk, e));
                    return;
                }
                if (!onLoop(() -> send(read, lease))) {
                    read.payload().release();
                    lease.close();
                }
            });
        } catch (RejectedExecutionException e) {
            lease.close();
            fail(chunk, e);
        }
    }

    private void send(ChunkReader.ReadChunk read, SendBudget.Lease lease) {
        int chunk = read.header().chunk();
        if (stopped || !inFlight.contains(chunk) || leases.get(chunk) != lease) {
            read.payload().release();
            lease.close();
            return;
        }
        chunksSent++;
        bytesSent += read.header().length();
        outlet.send(read.header(), read.payload(), lease,
                () -> fail(chunk, new IOException("no stream for chunk " + chunk)));
    }

    private void fail(int chunk, Exception cause) {
        if (!stopped) {
            onFailure.accept(chunk, cause);
        }
    }

    private boolean onLoop(Runnable task) {
        return EventLoops.tryExecute(loop, task);
    }
}
