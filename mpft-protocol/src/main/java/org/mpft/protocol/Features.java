package org.mpft.protocol;

/** Feature bits negotiated in {@link Hello} / {@link ServerHello} and asked for in {@link Open#flags()}. */
public final class Features {

    /** Per-chunk compression ({@link Encoding#DEFLATE}) where it shrinks the chunk. */
    public static final long COMPRESSION = 1L;

    /** Multi-path: the client can attach to secondaries named in {@link Meta}. */
    public static final long MULTI_PATH = 1L << 1;

    /**
     * Transfer streams: further bidirectional streams on one connection, each carrying one transfer's
     * conversation of its own (OPEN ... DONE on a primary after AUTH_OK, ATTACH on a secondary), so several
     * transfers run at once on one session and one connection to each secondary serves a session's transfers.
     */
    public static final long TRANSFER_STREAMS = 1L << 2;

    /**
     * The primary sends the whole file's SHA-256 ({@link FileDigest}) of a multi-path transfer, read with its chunk
     * digests, so that the client hashes each byte from a secondary once (its chunk check) and the primary's own
     * bytes not at all. Asked for in {@link Open#flags()} (a client that must hash the file itself leaves it
     * out), granted in {@link Meta#features()} (the plugin grants it for a file of 8 chunks or more).
     */
    public static final long FILE_DIGEST = 1L << 3;

    /**
     * Pipelined listing: the client may send further LIST requests on the control stream before the answer to
     * the first (at most {@link #MAX_QUEUED_LISTS} waiting behind those being answered); the server answers them
     * in the order they came.
     */
    public static final long LIST_PIPELINE = 1L << 4;

    /** With {@link #LIST_PIPELINE}: the LIST requests a server holds behind those it is answering, at most. */
    public static final int MAX_QUEUED_LISTS = 32;

    /** The features this version of the code knows. */
    public static final long ALL = COMPRESSION | MULTI_PATH | TRANSFER_STREAMS | FILE_DIGEST | LIST_PIPELINE;

    private Features() {
    }

    /** True when {@code bits} has {@code feature} set. */
    public static boolean has(long bits, long feature) {
        return (bits & feature) == feature;
    }
}
