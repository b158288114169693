package org.mpft.plugin.primary;

/**
 * One way chunks reach the client (the primary itself now; a secondary later), as the
 * {@link ChunkCoordinator} sees it. Called on the session's event loop only.
 */
interface ChunkPath {

    /** A name for logs and the summary, e.g. {@code primary}. */
    String name();

    /** The coordinator has chunks to hand out: ask {@link ChunkCoordinator#next} while there is room. */
    void wake();

    /**
     * A chunk this path sent is settled (acknowledged, or rejected and handed out again): its slot in the
     * path's window is free.
     */
    void release(int chunk);

    /**
     * True when this path holds {@code chunk} and has certainly not delivered all of it yet (the server has not
     * finished writing its stream), so the client cannot hold it. A path that cannot tell (a secondary) says
     * false.
     */
    default boolean sending(int chunk) {
        return false;
    }
}
