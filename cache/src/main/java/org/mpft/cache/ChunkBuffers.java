package org.mpft.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Copies chunks into buffers the cache owns. */
final class ChunkBuffers {

    private ChunkBuffers() {
    }

    /**
     * Copies the remaining bytes of {@code source} into a new buffer, leaving {@code source}'s position alone.
     *
     * @return a read-only buffer at position 0 holding the copy; never handed out itself, only its duplicates
     */
    static ByteBuffer copyOf(ByteBuffer source, boolean direct) {
        ByteBuffer from = source.duplicate();
        ByteBuffer copy = direct ? ByteBuffer.allocateDirect(from.remaining()) : ByteBuffer.allocate(from.remaining());
        copy.put(from).flip();
        return copy.asReadOnlyBuffer();
    }

    /** Copies the remaining bytes of {@code source} (its position left alone) into memory from {@code memory}. */
    static StoredChunk store(ByteBuffer source, ChunkMemory memory) {
        ByteBuffer from = source.duplicate();
        int length = from.remaining();
        ByteBuffer target = memory.take(length);
        target.put(from);
        return new StoredChunk(target, length, memory);
    }

    static void checkLength(ChunkKey key, ByteBuffer chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (chunk.remaining() != key.length()) {
            throw new IllegalArgumentException(describe(key, chunk));
        }
    }

    /** Loads a chunk, rejecting a wrong length as a short or long read; the loader's buffer, not a copy. */
    static ByteBuffer load(ChunkKey key, ChunkLoader loader) throws IOException {
        ByteBuffer loaded = Objects.requireNonNull(loader.load(key), "loader returned null");
        if (loaded.remaining() != key.length()) {
            throw new IOException(describe(key, loaded));
        }
        return loaded;
    }

    private static String describe(ChunkKey key, ByteBuffer chunk) {
        return "chunk " + key.index() + " of " + key.file().path() + " has " + chunk.remaining() + " bytes, expected "
                + key.length();
    }
}
