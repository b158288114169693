package org.mpft.cache;

import java.nio.ByteBuffer;

/** Test data: chunk bytes that tell which chunk (and which version) they belong to. */
final class Chunks {

    private Chunks() {
    }

    static FileIdentity file(String path, long size, long mtimeMillis) {
        return new FileIdentity(path, size, mtimeMillis);
    }

    /** A heap buffer of {@code key.length()} bytes, each {@code seed + i} (mod 256). */
    static ByteBuffer bytes(ChunkKey key, int seed) {
        ByteBuffer buffer = ByteBuffer.allocate(key.length());
        for (int i = 0; i < key.length(); i++) {
            buffer.put((byte) (seed + i));
        }
        return buffer.flip();
    }

    /** The remaining bytes of {@code buffer}, read without moving it. */
    static byte[] content(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
