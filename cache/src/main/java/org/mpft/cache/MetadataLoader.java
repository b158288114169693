package org.mpft.cache;

import java.io.IOException;

/**
 * Computes a file version's metadata on a cache miss; see {@link MetadataCache#get(FileIdentity, MetadataLoader)}.
 * It runs on the calling thread while other callers asking for the same file wait, so it must not call back into
 * the same cache.
 *
 * @param <V> the metadata type
 */
@FunctionalInterface
public interface MetadataLoader<V> {

    /**
     * Computes the metadata of {@code file}.
     *
     * @param file the file version
     * @return the metadata, never {@code null}; should be immutable, since every caller shares it
     * @throws IOException if it cannot be computed; nothing is cached then
     */
    V load(FileIdentity file) throws IOException;
}
