package org.mpft.cache;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One chunk held by the cache: its bytes in memory the cache owns, and who is reading them. The cache holds one
 * reference from {@code put} until the entry is removed; {@link CaffeineChunkCache#copyTo} holds one while it
 * copies or makes a view. When the last reference goes, the memory is handed back to the {@link ChunkMemory} for
 * the next chunk, unless a view of it was ever handed out ({@link #viewIfHeld()}): a view may be read at any later
 * time, so that memory is left to the garbage collector. Thread-safe.
 */
final class StoredChunk {

    /** All of the memory, as taken from the {@link ChunkMemory}: what goes back. */
    private final ByteBuffer memory;
    /** The chunk's bytes: the first {@code length} bytes of {@link #memory}. */
    private final ByteBuffer bytes;
    private final ChunkMemory home;
    /** References: the cache's own, plus one per copy or view under way; 0 once the memory was handed back. */
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean viewed;

    /**
     * @param memory the memory, at least {@code length} bytes, already holding the chunk in its first bytes
     * @param length the chunk's length
     * @param home   where the memory goes when no one reads it any more
     */
    StoredChunk(ByteBuffer memory, int length, ChunkMemory home) {
        this.memory = memory;
        this.bytes = memory.duplicate().clear().limit(length).slice().asReadOnlyBuffer();
        this.home = home;
    }

    /** The chunk's length, bytes (its weight in the cache). */
    int length() {
        return bytes.capacity();
    }

    /** Marks the chunk as one whose views will be handed out: its memory is never reused. */
    StoredChunk viewed() {
        viewed = true;
        return this;
    }

    /**
     * A fresh read-only view (position 0, limit = length), after which the memory is never reused; null when the
     * entry was removed and its memory handed back already (the chunk is then not held).
     */
    ByteBuffer viewIfHeld() {
        if (!viewed) {
            if (!acquire()) {
                return null;
            }
            viewed = true; // before the reference goes: a release to 0 from now on keeps the memory
            release();
        }
        return bytes.duplicate();
    }

    /**
     * Copies the chunk into {@code target} at its position (advancing it), unless the entry was removed and its
     * memory handed back already.
     *
     * @return false when the memory is gone: nothing was copied
     * @throws java.nio.BufferOverflowException when {@code target} has less room than the chunk
     */
    boolean copyTo(ByteBuffer target) {
        if (!acquire()) {
            return false;
        }
        try {
            target.put(bytes.duplicate());
            return true;
        } finally {
            release();
        }
    }

    /** Takes a reference unless the memory was handed back already (the count reached 0). */
    private boolean acquire() {
        int n;
        do {
            n = references.get();
            if (n == 0) {
                return false;
            }
        } while (!references.compareAndSet(n, n + 1));
        return true;
    }

    /** Gives up one reference: the cache's own when the entry is removed, or a finished copy's or view's. */
    void release() {
        if (references.decrementAndGet() == 0 && !viewed) {
            home.giveBack(memory);
        }
    }
}
