package org.mpft.client;

import io.netty.buffer.ByteBuf;
import org.mpft.protocol.ChunkHeader;
import org.mpft.protocol.Frame;
import org.mpft.protocol.MpftException;

/** What the network tells a running download; the download's thread handles them one at a time. */
sealed interface DownloadEvent {

    /** A frame arrived on the control stream. */
    record ControlFrame(Frame frame) implements DownloadEvent {
    }

    /**
     * Every byte of a chunk arrived (not verified yet). The receiver of the event owns the payload's
     * reference and the chunk's bytes of {@code budget} ({@code header.encodedLength()}): both go with
     * {@link #release}. {@code firstByteNanos} is when the chunk's first byte arrived ({@link System#nanoTime}).
     */
    record ChunkArrived(String server, ChunkHeader header, ByteBuf payload, long firstByteNanos, ReceiveBudget budget)
            implements DownloadEvent {

        /** The chunk is written or dropped: releases its buffer and gives its bytes back to the budget. */
        void release() {
            payload.release();
            budget.give(header.encodedLength());
        }
    }

    /** The connection or a stream failed; the download ends with this error. */
    record Failed(MpftException error) implements DownloadEvent {
    }

    /** The user cancelled. */
    record Cancelled() implements DownloadEvent {
    }

    /** An event defined by a part of the download outside this interface (e.g. {@link SecondaryPaths}). */
    non-sealed interface External extends DownloadEvent {
    }
}
