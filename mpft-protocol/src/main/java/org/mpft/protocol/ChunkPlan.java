package org.mpft.protocol;

/**
 * How a file is cut into chunks: every chunk is {@link #chunkSize()} bytes except the last, which holds
 * the rest. An empty file has no chunk. Indices count from 0 on the wire; "chunk 1, 3, 5 ..." in
 * user-facing text counts from 1.
 *
 * @param fileSize  the file's size in bytes (>= 0, may exceed 4 GiB)
 * @param chunkSize the chunk size in bytes, in [{@link #MIN_CHUNK_SIZE}, {@link #MAX_CHUNK_SIZE}]
 */
public record ChunkPlan(long fileSize, int chunkSize) {

    /** The smallest chunk size: 4 KiB. */
    public static final int MIN_CHUNK_SIZE = 4 * 1024;

    /** The largest chunk size: 64 MiB. */
    public static final int MAX_CHUNK_SIZE = 64 * 1024 * 1024;

    /**
     * The most chunks one file may have: 8 * (1 MiB - 1 KiB) = 8,380,416, so that the resume bitmap of
     * {@link Start} ({@code MAX_CHUNKS / 8} bytes) fits in one frame of {@link FrameCodec#MAX_FRAME_LENGTH}
     * with its other fields.
     */
    public static final int MAX_CHUNKS = 8 * (FrameCodec.MAX_FRAME_LENGTH - 1024);

    /** Checks the bounds. */
    public ChunkPlan {
        if (fileSize < 0) {
            throw new IllegalArgumentException("file size < 0: " + fileSize);
        }
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " outside [" + MIN_CHUNK_SIZE + ", "
                    + MAX_CHUNK_SIZE + "]");
        }
    }

    /** The number of chunks ({@code ceil(fileSize / chunkSize)}; 0 for an empty file). */
    public long chunkCountLong() {
        // not (fileSize + chunkSize - 1) / chunkSize: that overflows for sizes near Long.MAX_VALUE
        return fileSize / chunkSize + (fileSize % chunkSize == 0 ? 0 : 1);
    }

    /**
     * The number of chunks, as an int.
     *
     * @throws IllegalStateException when it exceeds {@link #MAX_CHUNKS}
     */
    public int chunkCount() {
        long count = chunkCountLong();
        if (count > MAX_CHUNKS) {
            throw new IllegalStateException(count + " chunks exceed the limit of " + MAX_CHUNKS);
        }
        return (int) count;
    }

    /** The offset of chunk {@code index} in the file, bytes. */
    public long offset(int index) {
        checkIndex(index);
        return (long) index * chunkSize;
    }

    /** The length of chunk {@code index}, bytes ({@link #chunkSize()} except for a short last chunk). */
    public int length(int index) {
        checkIndex(index);
        return (int) Math.min(chunkSize, fileSize - offset(index));
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= chunkCountLong()) {
            throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkCountLong());
        }
    }
}
