package org.mpft.client;

/** A running batch ({@link FileTransferClient#startBatch}). Thread-safe. */
public interface Batch {

    /** A snapshot of the batch now. */
    BatchProgress progress();

    /**
     * Stops the batch: no file is started any more, the running transfers are cancelled, their partial
     * downloads kept for a later run. Returns at once; {@link #await()} tells when everything stopped.
     */
    void cancel();

    /**
     * Waits for the end of the batch.
     *
     * @return one outcome per file; failed files (and, after a cancel, the cancelled ones) carry their error
     * @throws InterruptedException when interrupted while waiting (the batch keeps running)
     */
    BatchResult await() throws InterruptedException;
}
