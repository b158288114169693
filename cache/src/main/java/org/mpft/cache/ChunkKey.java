package org.mpft.cache;

import java.util.Objects;

/**
 * One chunk of one file version: the key of a {@link ChunkCache}.
 *
 * <p>The chunk size is part of the key because chunk sizes are chosen per transfer: chunk 3 of a file cut in
 * 1 MiB chunks holds other bytes than chunk 3 of the same file cut in 4 MiB chunks. Every chunk is
 * {@code chunkSize} bytes except the last, which holds the rest of the file ({@link #length()}).
 *
 * @param file      the file version, never {@code null}
 * @param chunkSize the chunk size of the plan, bytes, {@code > 0}
 * @param index     the chunk index, counting from 0, with {@code index * chunkSize < file.size()}
 */
public record ChunkKey(FileIdentity file, int chunkSize, int index) {

    /**
     * Creates a key.
     *
     * @param file      the file version, never {@code null}
     * @param chunkSize the chunk size of the plan, bytes, {@code > 0}
     * @param index     the chunk index, counting from 0
     * @throws NullPointerException      if {@code file} is {@code null}
     * @throws IllegalArgumentException  if {@code chunkSize <= 0}
     * @throws IndexOutOfBoundsException if the chunk does not start inside the file
     */
    public ChunkKey {
        Objects.requireNonNull(file, "file");
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " <= 0");
        }
        if (index < 0 || (long) index * chunkSize >= file.size()) {
            throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkSize + " bytes is outside "
                    + file.path() + " (" + file.size() + " bytes)");
        }
    }

    /**
     * The offset of this chunk in the file.
     *
     * @return {@code index * chunkSize}, bytes
     */
    public long offset() {
        return (long) index * chunkSize;
    }

    /**
     * The length of this chunk: {@code chunkSize}, or less for the last chunk of the file.
     *
     * @return the number of bytes the chunk holds, in {@code [1, chunkSize]}
     */
    public int length() {
        return (int) Math.min(chunkSize, file.size() - offset());
    }
}
