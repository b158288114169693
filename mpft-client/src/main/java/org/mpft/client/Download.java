package org.mpft.client;

import org.mpft.protocol.MpftException;

/**
 * A download running in the background, started by {@link FileTransferClient#start}.
 */
public interface Download {

    /** A snapshot of the progress now: chunks and bytes held, speed and ETA, per path. */
    TransferProgress progress();

    /**
     * Stops every path promptly (the servers are told with CANCEL) and keeps the partial download for a
     * later resume; {@link #await()} then throws {@link MpftException} with
     * {@link org.mpft.protocol.ErrorCode#CANCELLED}. Does nothing once the download has ended.
     */
    void cancel();

    /**
     * Waits for the end of the download.
     *
     * @return the verified file's summary
     * @throws MpftException        why the download failed (its code says which kind of failure; the message
     *                              names the file, the server and the chunk where they apply)
     * @throws InterruptedException when the waiting thread is interrupted (the download goes on)
     */
    DownloadResult await() throws MpftException, InterruptedException;
}
