package org.mpft.client;

import java.io.IOException;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.ErrorFrame;
import org.mpft.protocol.Meta;
import org.mpft.protocol.MpftException;

/**
 * How a download's failures read: every message names the server and the file (servers name the chunk
 * where one is concerned, but do not always name the file), and a local write error says whether the disk
 * is full.
 */
final class DownloadErrors {

    private DownloadErrors() {
    }

    /** {@code e}, its message naming the file when it does not yet (a lost connection, a refused login ...). */
    static MpftException named(MpftException e, String remotePath) {
        String message = String.valueOf(e.getMessage());
        return message.contains(remotePath) ? e : new MpftException(e.code(), naming(message, remotePath), e);
    }

    /** A server's error message as the user sees it: always naming the server and the file. */
    static String describe(String server, String remotePath, String message) {
        return server + ": " + naming(message, remotePath);
    }

    /** {@link ErrorCode#INSUFFICIENT_SPACE} for a full disk or quota, else {@link ErrorCode#INTERNAL_ERROR}. */
    static ErrorCode ioCode(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left") || message.contains("Disk quota")
                ? ErrorCode.INSUFFICIENT_SPACE : ErrorCode.INTERNAL_ERROR;
    }

    /** A server's ERROR frame as the download's failure, naming the server and the file. */
    static MpftException server(DownloadRequest request, ErrorFrame error) {
        return new MpftException(error.code(), describe(request.server(), request.remotePath(), error.message()));
    }

    /** The download was cancelled; after META ({@code meta} not null) it says how many chunks are kept. */
    static MpftException cancelled(DownloadRequest request, Meta meta, int heldChunks) {
        String kept = meta == null ? "" : "; " + heldChunks + " of " + meta.plan().chunkCount()
                + " chunks are kept for a resume";
        return new MpftException(ErrorCode.CANCELLED, "the download of " + request.remotePath() + " from "
                + request.server() + " was cancelled" + kept);
    }

    /**
     * What a download reports for what its attempt threw. A cancelled download is cancelled whatever it met on
     * its way out: a batch's cancel may close a session under a transfer that still waits for a stream there.
     * An interrupt is a cancel too; anything else unexpected is an internal error naming the file.
     *
     * @param cancelled whether the download's cancel was asked for
     */
    static MpftException ofAttempt(Throwable thrown, DownloadRequest request, boolean cancelled) {
        if (thrown instanceof MpftException e) {
            return cancelled && e.code() != ErrorCode.CANCELLED ? cancelled(request, null, 0)
                    : named(e, request.remotePath());
        }
        if (thrown instanceof InterruptedException) {
            return cancelled(request, null, 0);
        }
        return failed(request, thrown);
    }

    /** What awaiting a download throws for the failure its outcome completed with. */
    static MpftException awaited(Throwable failure, DownloadRequest request) {
        if (failure instanceof MpftException mpft) {
            return new MpftException(mpft.code(), mpft.getMessage(), mpft);
        }
        return failed(request, failure);
    }

    private static MpftException failed(DownloadRequest request, Throwable cause) {
        return new MpftException(ErrorCode.INTERNAL_ERROR, "the download of " + request.remotePath() + " from "
                + request.server() + " failed: " + cause, cause);
    }

    /** {@code message}, followed by the file it concerns unless it names it already. */
    private static String naming(String message, String remotePath) {
        return message.contains(remotePath) ? message : message + " (downloading " + remotePath + ")";
    }
}
