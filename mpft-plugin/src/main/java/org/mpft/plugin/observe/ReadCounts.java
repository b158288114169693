package org.mpft.plugin.observe;

/**
 * What one transfer's reads did, for its log line.
 *
 * @param chunks     chunks read (resends included)
 * @param cacheHits  of those, served from the cache
 * @param diskBytes  bytes read from the file
 * @param wireBytes  payload bytes after compression
 * @param compressed chunks sent compressed
 */
public record ReadCounts(long chunks, long cacheHits, long diskBytes, long wireBytes, long compressed) {

    /** No reads. */
    public static final ReadCounts NONE = new ReadCounts(0, 0, 0, 0, 0);

    /** These counts and one more chunk read. */
    public ReadCounts plus(boolean hit, long disk, long wire, boolean compressedChunk) {
        return new ReadCounts(chunks + 1, cacheHits + (hit ? 1 : 0), diskBytes + disk, wireBytes + wire,
                compressed + (compressedChunk ? 1 : 0));
    }
}
