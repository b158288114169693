package org.mpft.plugin.send;

import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of chunk buffers a server holds for sending: read (or being read) and not yet accepted by QUIC
 * (the last byte of the chunk written to its stream, or the stream gone). Bounded per connection
 * ({@code mpft.max-bytes-in-flight}) and for the whole instance ({@code mpft.max-bytes-held}): a sender
 * takes a {@link Lease} for a chunk's bytes before it reads the chunk, and when none is to be had it reads
 * nothing more until a lease is given back; then its wake-up runs once (no polling). Whatever a client does
 * with its flow-control windows or its ACKs, the buffers of unsent chunks stay within these bounds.
 * Thread-safe; wake-ups run on the thread that gave bytes back, so they must hand over to their own loop.
 */
public final class SendBudget {

    private static final io.netty.util.AttributeKey<Connection> KEY =
            io.netty.util.AttributeKey.valueOf(SendBudget.class, "connection");

    private final long max;
    private long held;
    private long peak;
    /** connections waiting because the instance bound was reached */
    private final List<Connection> waiting = new ArrayList<>();

    /** @param maxBytes the most bytes all connections of the instance hold at once */
    public SendBudget(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1");
        }
        this.max = maxBytes;
    }

    /**
     * The budget of the QUIC connection {@code channel}, made at its first use (every sender on that connection,
     * whatever the transfer, shares it).
     */
    public Connection of(io.netty.channel.Channel channel, long maxBytes) {
        io.netty.util.Attribute<Connection> attribute = channel.attr(KEY);
        Connection existing = attribute.get();
        if (existing != null) {
            return existing;
        }
        Connection made = connection(maxBytes);
        existing = attribute.setIfAbsent(made);
        return existing != null ? existing : made;
    }

    /** A budget of one connection, at most {@code maxBytes} of it (and of this instance's bound). */
    public Connection connection(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1");
        }
        return new Connection(maxBytes);
    }

    /** Bytes held now, over all connections. */
    public synchronized long held() {
        return held;
    }

    /** The most bytes held at once so far. */
    public synchronized long peak() {
        return peak;
    }

    /** The instance-wide bound. */
    public long max() {
        return max;
    }

    /** The share of one connection: its bound, its bytes held, its senders waiting for bytes. */
    public final class Connection {
        private final long max;
        private long held;
        private final List<Runnable> wakeUps = new ArrayList<>();

        private Connection(long max) {
            this.max = max;
        }

        /**
         * Takes {@code bytes} for one chunk, or, when this connection's or the instance's bound would be
         * exceeded, takes nothing and runs {@code wakeUp} once, later, when bytes are given back.
         *
         * @return the lease, or null (then {@code wakeUp} is registered)
         */
        public Lease tryTake(int bytes, Runnable wakeUp) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes < 0");
            }
            synchronized (SendBudget.this) {
                // a chunk larger than a bound on its own is let through alone, else it could never be sent
                boolean connectionFull = held > 0 && held + bytes > max;
                boolean instanceFull = SendBudget.this.held > 0 && SendBudget.this.held + bytes > SendBudget.this.max;
                if (connectionFull || instanceFull) {
                    wakeUps.add(wakeUp);
                    if (instanceFull && !waiting.contains(this)) {
                        waiting.add(this);
                    }
                    return null;
                }
                held += bytes;
                SendBudget.this.held += bytes;
                peak = Math.max(peak, SendBudget.this.held);
            }
            return new Lease(this, bytes);
        }

        /** Bytes this connection holds now. */
        public long held() {
            synchronized (SendBudget.this) {
                return held;
            }
        }

        private void give(int bytes) {
            List<Runnable> wake = new ArrayList<>();
            synchronized (SendBudget.this) {
                held -= bytes;
                SendBudget.this.held -= bytes;
                wake.addAll(wakeUps);
                wakeUps.clear();
                for (Connection c : waiting) {
                    wake.addAll(c.wakeUps);
                    c.wakeUps.clear();
                }
                waiting.clear();
            }
            wake.forEach(Runnable::run);
        }
    }

    /**
     * The bytes of one chunk, held from before its read until QUIC accepted its last byte; given back exactly
     * once, by {@link #written} or {@link #close} (whichever comes first).
     */
    public static final class Lease implements AutoCloseable {
        private final Connection owner;
        private final int bytes;
        private final java.util.concurrent.atomic.AtomicBoolean given = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean written;

        private Lease(Connection owner, int bytes) {
            this.owner = owner;
            this.bytes = bytes;
        }

        /** The bytes held. */
        public int bytes() {
            return bytes;
        }

        /** The chunk's last byte was accepted by QUIC: gives the bytes back ({@link #isWritten} from now on). */
        public void written() {
            if (given.compareAndSet(false, true)) {
                written = true;
                owner.give(bytes);
            }
        }

        /** True when the chunk's last byte was accepted by QUIC (the client may hold the chunk). */
        public boolean isWritten() {
            return written;
        }

        /** The chunk was dropped, aborted or failed: gives the bytes back (nothing when already given back). */
        @Override
        public void close() {
            if (given.compareAndSet(false, true)) {
                owner.give(bytes);
            }
        }

        /** True once the bytes were given back. */
        public boolean released() {
            return given.get();
        }
    }
}
