package org.mpft.client;

/**
 * Receives progress snapshots while a download runs (about every 200 ms, and once at the end), on a
 * client thread: implementations return quickly.
 */
@FunctionalInterface
public interface ProgressListener {

    /** Does nothing. */
    ProgressListener NONE = progress -> { };

    /** Called with the latest snapshot. */
    void onProgress(TransferProgress progress);
}
