package org.mpft.cli;

import org.mpft.client.Download;
import org.mpft.client.DownloadRequest;
import org.mpft.client.DownloadResult;
import org.mpft.client.FileTransferClient;
import org.mpft.client.ProgressListener;
import org.mpft.protocol.MpftException;

/** The real network side of the command: {@link FileTransferClient}. */
final class ClientDownloader implements Downloader {

    private final FileTransferClient client = new FileTransferClient();

    @Override
    public Running start(DownloadRequest request, ProgressListener listener) {
        Download download = client.start(request, listener);
        return new Running() {
            @Override
            public void cancel() {
                download.cancel();
            }

            @Override
            public DownloadResult await() throws MpftException, InterruptedException {
                return download.await();
            }
        };
    }

    @Override
    public void close() {
        client.close();
    }
}
