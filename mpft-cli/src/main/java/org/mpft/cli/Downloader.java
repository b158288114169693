package org.mpft.cli;

import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.ProgressListener;
import org.mpft.protocol.MpftException;

/**
 * The network side as the {@code mpft} command sees it: {@link FileTransferClient} in the real command,
 * a fake in the command's tests.
 */
interface Downloader extends AutoCloseable {

    /** Starts a download and returns at once. */
    Running start(DownloadRequest request, ProgressListener listener);

    /** Releases the network resources. */
    @Override
    void close();

    /** A download in progress. */
    interface Running {
        /** Stops the download; the partial download stays on disk. */
        void cancel();

        /** Waits for the end: the verified file, or the failure ({@code CANCELLED} after {@link #cancel()}). */
        DownloadResult await() throws MpftException, InterruptedException;
    }
}
