package org.mpft.plugin.primary;

import org.mpft.plugin.send.ChunkOutlet;
import org.mpft.plugin.send.ChunkPrefetcher;
import org.mpft.plugin.send.ChunkReader;
import org.mpft.plugin.send.Transfer;
import org.mpft.transport.EventLoops;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * The primary's own path: keeps up to {@code window} chunks of one transfer in flight (being read, being
 * sent, or sent and waiting for the client's ACK), reading each on the I/O pool with a
 * {@link ChunkReader} and handing it to a {@link ChunkOutlet}. A slot frees when the
 * {@link ChunkCoordinator} settles the chunk. Confined to the session's event loop, except the reads.
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
    private final Set<Integer> inFlight = new HashSet<>();
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
     */
    ChunkSender(String name, Transfer transfer, ChunkCoordinator coordinator, ChunkReader reader, ChunkOutlet outlet,
                Executor io, Executor loop, int window, BiConsumer<Integer, Exception> onFailure,
                ChunkPrefetcher prefetcher) {
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
        pump();
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
        while (!stopped && inFlight.size() < window) {
            int chunk = coordinator.next(this);
            if (chunk < 0) {
                return;
            }
            inFlight.add(chunk);
            if (prefetcher != null) {
                prefetcher.claim(chunk); // the read below takes it, whatever the next ahead() says
            }
            readThenSend(chunk);
        }
        if (!stopped && prefetcher != null) {
            prefetcher.ahead(coordinator.upcoming(this, prefetcher.depth()));
        }
    }

    private void readThenSend(int chunk) {
        try {
            io.execute(() -> {
                ChunkReader.ReadChunk read;
                try {
                    read = reader.read(transfer, chunk, prefetcher);
                } catch (IOException | RuntimeException e) {
                    onLoop(() -> fail(chunk, e));
                    return;
                }
                if (!onLoop(() -> send(read))) {
                    read.payload().release();
                }
            });
        } catch (RejectedExecutionException e) {
            fail(chunk, e);
        }
    }

    private void send(ChunkReader.ReadChunk read) {
        int chunk = read.header().chunk();
        if (stopped || !inFlight.contains(chunk)) {
            read.payload().release();
            return;
        }
        chunksSent++;
        bytesSent += read.header().length();
        outlet.send(read.header(), read.payload(),
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
