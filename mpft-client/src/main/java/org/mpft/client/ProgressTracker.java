package org.mpft.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts what a download has received, per path, and turns it into {@link TransferProgress} snapshots
 * and {@link PathSummary} entries. Rates are measured over a sliding window of
 * {@value #WINDOW_MS} ms. Thread-safe: the download's thread records, any thread may take a snapshot.
 */
final class ProgressTracker {

    /** The span rates are measured over, milliseconds. */
    static final long WINDOW_MS = 3000;

    private final LongSupplier clock;
    private final Map<String, PathStats> paths = new LinkedHashMap<>();
    private long totalBytes;
    private int totalChunks;
    private long heldBytes;
    private int heldChunks;
    private String status;

    /** @param clock nanosecond clock ({@code System::nanoTime}) */
    ProgressTracker(LongSupplier clock) {
        this.clock = clock;
    }

    /** Declares a path (primary first), so that it shows before its first chunk. */
    synchronized void addPath(String server, String role) {
        paths.computeIfAbsent(server, s -> new PathStats(s, role, clock.getAsLong()));
    }

    /** The file's size and chunk count are known; {@code resumed*} were already on disk. */
    synchronized void planned(long fileBytes, int chunks, long resumedBytes, int resumedChunks) {
        totalBytes = fileBytes;
        totalChunks = chunks;
        heldBytes = resumedBytes;
        heldChunks = resumedChunks;
    }

    /** A chunk from {@code server} was verified and written. */
    synchronized void received(String server, int chunk, long bytes) {
        PathStats path = paths.computeIfAbsent(server, s -> new PathStats(s, "secondary", clock.getAsLong()));
        path.chunks++;
        path.bytes += bytes;
        path.indices.set(chunk);
        heldBytes += bytes;
        heldChunks++;
        path.sample(clock.getAsLong());
    }

    /** The path to {@code server} was lost ({@code why}); the first reason is kept. */
    synchronized void lost(String server, String why) {
        PathStats path = paths.get(server);
        if (path != null && path.lost == null) {
            path.lost = why;
        }
    }

    /** The progress now. */
    /** What the download is waiting for, shown with the progress (e.g. "server busy, retrying in 4s"); null for none. */
    synchronized void status(String text) {
        status = text;
    }

    synchronized TransferProgress snapshot() {
        long now = clock.getAsLong();
        List<PathProgress> list = new ArrayList<>(paths.size());
        double rate = 0;
        for (PathStats path : paths.values()) {
            double pathRate = path.rate(now);
            rate += pathRate;
            list.add(new PathProgress(path.server, path.role, path.chunks, path.bytes, pathRate));
        }
        long left = Math.max(0, totalBytes - heldBytes);
        long eta = left == 0 && totalChunks == heldChunks ? 0 : rate > 0 ? (long) Math.ceil(left / rate) : -1;
        return new TransferProgress(totalBytes, heldBytes, totalChunks, heldChunks, rate, eta, list, status);
    }

    /** What each path delivered, primary first. */
    synchronized List<PathSummary> summaries() {
        List<PathSummary> list = new ArrayList<>(paths.size());
        for (PathStats path : paths.values()) {
            List<Integer> indices = new ArrayList<>(path.chunks);
            path.indices.stream().forEach(indices::add);
            list.add(new PathSummary(path.server, path.role, path.chunks, path.bytes, indices, path.lost));
        }
        return list;
    }

    /** One path's counters and its recent (time, bytes) samples. */
    private static final class PathStats {
        final String server;
        final String role;
        final BitSet indices = new BitSet();
        final ArrayDeque<long[]> samples = new ArrayDeque<>();
        int chunks;
        long bytes;
        String lost;

        PathStats(String server, String role, long now) {
            this.server = server;
            this.role = role;
            samples.add(new long[] {now, 0});
        }

        void sample(long now) {
            samples.addLast(new long[] {now, bytes});
            trim(now);
        }

        private void trim(long now) {
            long horizon = now - WINDOW_MS * 1_000_000L;
            // keep the last sample at or before the horizon as the window's base
            while (samples.size() > 1) {
                long[] first = samples.pollFirst();
                if (samples.peekFirst()[0] > horizon) {
                    samples.addFirst(first);
                    return;
                }
            }
        }

        double rate(long now) {
            trim(now);
            long[] first = samples.peekFirst();
            long span = now - first[0];
            if (span <= 0) {
                return 0;
            }
            return (bytes - first[1]) * 1e9 / span;
        }
    }
}
