package org.mpft.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a download's {@link ProgressListener} about its {@link ProgressTracker}: at most every
 * {@link DownloadTask#PROGRESS_INTERVAL_MS} ({@link #maybe}) or at once ({@link #now}). A listener that throws is
 * logged, never fails the download. Used by the download's thread only.
 */
final class ProgressNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressNotifier.class);

    private final ProgressListener listener;
    private final ProgressTracker progress;
    private long lastNanos;

    ProgressNotifier(ProgressListener listener, ProgressTracker progress) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.progress = progress;
    }

    /** Notifies when the last notification is an interval old. */
    void maybe() {
        if (System.nanoTime() - lastNanos >= DownloadTask.PROGRESS_INTERVAL_MS * 1_000_000L) {
            now();
        }
    }

    /** Notifies now. */
    void now() {
        lastNanos = System.nanoTime();
        try {
            listener.onProgress(progress.snapshot());
        } catch (RuntimeException e) {
            LOG.debug("progress listener failed", e);
        }
    }
}
