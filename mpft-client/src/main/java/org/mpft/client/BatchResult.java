package org.mpft.client;

import java.util.List;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * The end of a batch: one outcome per file, in the order of the request.
 *
 * @param files     what became of each file
 * @param bytes     bytes downloaded over the network in this run (skipped files and resumed chunks not counted)
 * @param elapsedMs wall time of the batch, milliseconds
 */
public record BatchResult(List<FileOutcome> files, long bytes, long elapsedMs) {

    /** Freezes the list. */
    public BatchResult {
        files = List.copyOf(files);
    }

    /** The outcomes of the files that failed (cancelled ones included), in request order. */
    public List<FileOutcome> failures() {
        return files.stream().filter(o -> o.error() != null).toList();
    }

    /** The outcomes of the files skipped as already complete. */
    public List<FileOutcome> skipped() {
        return files.stream().filter(FileOutcome::skipped).toList();
    }

    /** True when every file is on disk, downloaded or skipped. */
    public boolean succeeded() {
        return failures().isEmpty();
    }

    /**
     * The error that best says why the batch did not succeed, for an exit code: the first failure (in request
     * order) that is not a cancellation, else the first cancellation; null when every file succeeded.
     */
    public MpftException worstError() {
        MpftException cancelled = null;
        for (FileOutcome outcome : files) {
            MpftException error = outcome.error();
            if (error == null) {
                continue;
            }
            if (error.code() != ErrorCode.CANCELLED) {
                return error;
            }
            if (cancelled == null) {
                cancelled = error;
            }
        }
        return cancelled;
    }
}
