package org.mpft.client;

import org.mpft.protocol.MpftException;

/**
 * What became of one file of a batch: downloaded ({@code result} set), skipped because it was already there
 * and finished ({@code skipped}), or failed ({@code error} set; a file never started because the batch was
 * cancelled or stopped fails with {@link org.mpft.protocol.ErrorCode#CANCELLED}).
 *
 * @param file    the file
 * @param result  the verified download, or null when the file failed or was skipped
 * @param error   why it failed, or null on success and when skipped
 * @param skipped true when the file was already complete on disk and was not fetched
 */
public record FileOutcome(BatchFile file, DownloadResult result, MpftException error, boolean skipped) {

    /** True when the file is on disk, finished: downloaded or skipped. */
    public boolean ok() {
        return error == null;
    }
}
