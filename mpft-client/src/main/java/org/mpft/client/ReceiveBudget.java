package org.mpft.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunk bytes one download buffers at once, over all its streams and servers: a chunk stream takes its
 * chunk's length from here when its header arrives and gives it back when the chunk is written to disk or
 * dropped ({@link DownloadEvent.ChunkArrived#release}). A stream that finds no bytes left stops reading (QUIC
 * flow control then holds the server back) until bytes come back, which wakes it once. A chunk larger than
 * the bound on its own is let through alone, so every chunk can arrive; so is the first stream of a connection
 * still receiving ({@link StreamOrder}) while the bound is not exceeded yet, so it is exceeded by at most one
 * chunk. (Each chunk that completes makes the next stream the first: were the first always let through, a writer
 * slower than the network would let every chunk in, and the buffered chunks would grow without a bound.)
 * Thread-safe; wake-ups run on the thread that gave bytes back, so they hand over to their own event loop.
 */
final class ReceiveBudget {

    /**
     * The bytes a download buffers at most: two of the largest chunks the plugin picks by default (16 MiB), so
     * one chunk can arrive while the one before it is checked and written. Streams beyond it wait in QUIC's own
     * receive buffers (at most the connection's flow-control window), which keep the path busy meanwhile; a
     * larger bound only adds memory (with 8 MiB chunks and the server's window of 8, a bound of 64 MiB or more
     * held 40 to 75 MiB more at peak on loopback without a measurable gain in speed).
     */
    static final long DEFAULT_MAX_BYTES = 32L << 20;

    private final long max;
    private long held;
    private final List<Runnable> wakeUps = new ArrayList<>();

    /** @param maxBytes the most chunk bytes buffered at once */
    ReceiveBudget(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1");
        }
        this.max = maxBytes;
    }

    /**
     * Takes {@code bytes}, or takes nothing and runs {@code wakeUp} once, later, when bytes come back.
     *
     * @return true when taken
     */
    synchronized boolean tryTake(int bytes, Runnable wakeUp) {
        return tryTake(bytes, wakeUp, false);
    }

    /**
     * Takes {@code bytes}; when they are not there, takes them all the same if {@code first} (the first stream of
     * its connection still receiving, {@link StreamOrder}: it must not wait behind streams the server sends
     * later) and the bound is not exceeded yet, else takes nothing and runs {@code wakeUp} once, later, when
     * bytes come back.
     *
     * @return true when taken
     */
    synchronized boolean tryTake(int bytes, Runnable wakeUp, boolean first) {
        if (held > 0 && held + bytes > max && !(first && held <= max)) {
            wakeUps.add(wakeUp);
            return false;
        }
        held += bytes;
        return true;
    }

    /** Gives {@code bytes} back and wakes the streams that waited. */
    void give(int bytes) {
        List<Runnable> wake;
        synchronized (this) {
            held -= bytes;
            wake = new ArrayList<>(wakeUps);
            wakeUps.clear();
        }
        wake.forEach(Runnable::run);
    }

    /** Bytes buffered now. */
    synchronized long held() {
        return held;
    }
}
