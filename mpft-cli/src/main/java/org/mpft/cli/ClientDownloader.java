package org.mpft.cli;

import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/** The real network side of the command. Placeholder until FileTransferClient is in this package. */
final class ClientDownloader implements Downloader {

    @Override
    public Running start(DownloadRequest request, ProgressListener listener) {
        return new Running() {
            @Override
            public void cancel() {
            }

            @Override
            public DownloadResult await() throws MpftException {
                throw new MpftException(ErrorCode.INTERNAL_ERROR, "this build of mpft has no network client yet");
            }
        };
    }

    @Override
    public void close() {
    }
}
