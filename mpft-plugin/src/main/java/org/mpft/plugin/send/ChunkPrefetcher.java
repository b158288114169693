package org.mpft.plugin.send;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

/**
 * Read-ahead for one path of one transfer: reads (and hashes, and compresses) the chunks the path will most
 * likely be handed next, on a small executor of its own, so that when a window slot frees the chunk is
 * already in memory and the disk read overlapped the sending of the chunks before it.
 *
 * <p>The owner tells it, after each hand-out, which chunks come next ({@link #ahead}); it keeps at most
 * {@code depth} of them, each one's bytes taken from an instance-wide {@link Budget} first (a read-ahead
 * that finds no budget is simply not made). A chunk handed out is {@linkplain #take taken}: the finished
 * read, the running one (waited for), or null (the caller reads it itself; a queued read that has not
 * started is cancelled rather than waited for). Read-aheads that the schedule no longer predicts, and all of
 * them at {@link #close}, are released: their buffers and their budget. Thread-safe.
 */
public final class ChunkPrefetcher implements AutoCloseable {

    /** Reads one chunk completely (blocking); the result's payload buffer is owned by the caller. */
    @FunctionalInterface
    interface Loader {
        ChunkReader.ReadChunk load(int chunk) throws IOException;
    }

    /**
     * The bytes all read-aheads of an instance may hold at once ({@code mpft.max-bytes-in-flight}); taken
     * without waiting, given back when a read-ahead is taken or dropped.
     */
    public static final class Budget {
        private final long max;
        private final AtomicLong used = new AtomicLong();

        /** @param maxBytes the bound, bytes (0: no read-ahead at all) */
        public Budget(long maxBytes) {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes < 0");
            }
            this.max = maxBytes;
        }

        boolean tryTake(long bytes) {
            long now;
            do {
                now = used.get();
                if (now + bytes > max) {
                    return false;
                }
            } while (!used.compareAndSet(now, now + bytes));
            return true;
        }

        void give(long bytes) {
            used.addAndGet(-bytes);
        }

        /** Bytes held by read-aheads now. */
        public long used() {
            return used.get();
        }
    }

    /**
     * What the read-aheads of one instance share.
     *
     * @param executor where they run: a small bounded pool of their own (a full queue skips a read-ahead)
     * @param budget   the bound on their bytes
     * @param depth    chunks read ahead per transfer and path ({@code mpft.prefetch}; 0 = none)
     */
    public record Pool(Executor executor, Budget budget, int depth) {
        /** Checks the values. */
        public Pool {
            Objects.requireNonNull(executor, "executor");
            Objects.requireNonNull(budget, "budget");
        }

        /** The read-ahead of one path of {@code transfer} through {@code reader}, or null when depth is 0. */
        public ChunkPrefetcher forPath(ChunkReader reader, Transfer transfer) {
            return depth == 0 ? null : reader.prefetcher(transfer, executor, depth, budget);
        }
    }

    private enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    private final class Entry implements Runnable {
        final int chunk;
        final int bytes;
        State state = State.QUEUED;
        ChunkReader.ReadChunk read;
        boolean dropped;

        Entry(int chunk, int bytes) {
            this.chunk = chunk;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            synchronized (ChunkPrefetcher.this) {
                if (state != State.QUEUED) {
                    return;
                }
                state = State.RUNNING;
            }
            ChunkReader.ReadChunk result = null;
            try {
                result = loader.load(chunk);
            } catch (IOException | RuntimeException e) {
                // the owner reads it again itself and sees the error there
            }
            boolean release;
            synchronized (ChunkPrefetcher.this) {
                read = result;
                state = result == null ? State.FAILED : State.DONE;
                release = dropped;
                ChunkPrefetcher.this.notifyAll();
            }
            if (release) {
                discard(this);
            } else if (result != null) {
                loaded.incrementAndGet();
            }
        }
    }

    private final Loader loader;
    private final Executor executor;
    private final int depth;
    private final Budget budget;
    private final IntUnaryOperator lengthOf;
    private final Map<Integer, Entry> entries = new HashMap<>();
    /** read-aheads of chunks handed out, waiting for {@link #take} */
    private final Map<Integer, Entry> claimed = new HashMap<>();
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong wasted = new AtomicLong();
    private boolean closed;

    /**
     * @param loader   reads one chunk (the transfer's cache, file, checksum and compression)
     * @param executor where read-aheads run (never the event loop)
     * @param depth    the most chunks read ahead at once ({@code mpft.prefetch}); 0 turns read-ahead off
     * @param budget   the instance-wide bound on read-ahead bytes
     * @param lengthOf a chunk's length in bytes
     */
    ChunkPrefetcher(Loader loader, Executor executor, int depth, Budget budget, IntUnaryOperator lengthOf) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.executor = Objects.requireNonNull(executor, "executor");
        if (depth < 0) {
            throw new IllegalArgumentException("depth < 0");
        }
        this.depth = depth;
        this.budget = Objects.requireNonNull(budget, "budget");
        this.lengthOf = Objects.requireNonNull(lengthOf, "lengthOf");
    }

    /** The most chunks read ahead at once. */
    public int depth() {
        return depth;
    }

    /**
     * The chunks expected next, most urgent first: starts read-aheads for the first {@code depth} of them
     * that are not read yet, and drops those read ahead before that are no longer expected.
     */
    public void ahead(int[] upcoming) {
        if (depth == 0) {
            return;
        }
        List<Entry> start = new ArrayList<>();
        List<Entry> drop = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            int n = Math.min(depth, upcoming.length);
            java.util.Set<Integer> wanted = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                wanted.add(upcoming[i]);
            }
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!wanted.contains(e.chunk)) {
                    it.remove();
                    drop.add(e);
                }
            }
            for (int i = 0; i < n && entries.size() < depth; i++) {
                int chunk = upcoming[i];
                if (entries.containsKey(chunk)) {
                    continue;
                }
                int bytes = lengthOf.applyAsInt(chunk);
                if (!budget.tryTake(bytes)) {
                    break;
                }
                Entry e = new Entry(chunk, bytes);
                entries.put(chunk, e);
                start.add(e);
            }
        }
        drop.forEach(this::drop);
        for (Entry e : start) {
            try {
                executor.execute(e);
            } catch (RejectedExecutionException full) {
                synchronized (this) {
                    entries.remove(e.chunk, e);
                    e.state = State.CANCELLED;
                }
                budget.give(e.bytes);
            }
        }
    }

    /**
     * {@code chunk} was just handed out to the path: its read-ahead is kept for {@link #take} even though the
     * next {@link #ahead} no longer lists it. Call before anything else can call {@link #ahead}.
     */
    public synchronized void claim(int chunk) {
        Entry e = entries.remove(chunk);
        if (e != null) {
            claimed.put(chunk, e);
        }
    }

    /**
     * The read-ahead of {@code chunk}, which was just handed out: its read (waiting while it runs), or null
     * when there is none (never started, cancelled now, or failed): then the caller reads it. The caller
     * owns the returned payload.
     */
    ChunkReader.ReadChunk take(int chunk) throws IOException {
        Entry e;
        synchronized (this) {
            e = claimed.remove(chunk);
            if (e == null) {
                e = entries.remove(chunk);
            }
            if (e == null) {
                return null;
            }
            if (e.state == State.QUEUED) {
                e.state = State.CANCELLED;
            }
            while (e.state == State.RUNNING) {
                try {
                    wait();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    e.dropped = true;
                    throw new InterruptedIOException("interrupted while waiting for a read-ahead of chunk " + chunk);
                }
            }
        }
        budget.give(e.bytes);
        if (e.state != State.DONE) {
            return null;
        }
        hits.incrementAndGet();
        return e.read;
    }

    /** Chunks read ahead so far. */
    public long loaded() {
        return loaded.get();
    }

    /** Chunks sent from a read-ahead so far. */
    public long hits() {
        return hits.get();
    }

    /** Chunks read ahead and then dropped unsent (the schedule moved them, or the transfer ended). */
    public long wasted() {
        return wasted.get();
    }

    /** Chunks read ahead now (queued, running or done, not taken). */
    public synchronized int held() {
        return entries.size() + claimed.size();
    }

    /** Drops every read-ahead: finished buffers are released now, running reads release theirs when they end. */
    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(entries.values());
            all.addAll(claimed.values());
            entries.clear();
            claimed.clear();
        }
        all.forEach(this::drop);
    }

    private void drop(Entry e) {
        boolean now;
        synchronized (this) {
            switch (e.state) {
                case QUEUED -> {
                    e.state = State.CANCELLED;
                    now = true;
                }
                case RUNNING -> {
                    e.dropped = true; // the reader releases it when it ends
                    now = false;
                }
                default -> now = true;
            }
        }
        if (now) {
            discard(e);
        }
    }

    private void discard(Entry e) {
        ChunkReader.ReadChunk read;
        synchronized (this) {
            read = e.read;
            e.read = null;
        }
        if (read != null) {
            read.payload().release();
            wasted.incrementAndGet();
        }
        budget.give(e.bytes);
    }
}
