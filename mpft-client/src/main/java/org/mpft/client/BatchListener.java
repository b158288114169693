package org.mpft.client;

/**
 * Hears about a running batch: {@link #onProgress} about every 200 ms and once at the end, {@link #onFileDone}
 * once per file as it ends (downloaded, skipped or failed). Both are called from the batch's threads, one call
 * at a time; keep them short.
 */
public interface BatchListener {

    /** A listener that ignores everything. */
    BatchListener NONE = new BatchListener() {
        @Override
        public void onProgress(BatchProgress progress) {
        }

        @Override
        public void onFileDone(FileOutcome outcome) {
        }
    };

    /** A snapshot of the whole batch. */
    void onProgress(BatchProgress progress);

    /** One file ended. */
    void onFileDone(FileOutcome outcome);
}
