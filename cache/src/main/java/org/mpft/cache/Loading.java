package org.mpft.cache;

import com.github.benmanes.caffeine.cache.Cache;
import java.io.IOException;

/** Runs a loader that may throw {@link IOException} inside Caffeine's compute, which takes no checked exception. */
final class Loading {

    /** A load step that may fail with an {@link IOException}. */
    @FunctionalInterface
    interface IoFunction<K, V> {
        V apply(K key) throws IOException;
    }

    private Loading() {
    }

    /**
     * {@code cache.get(key, loader)}, letting the loader's {@link IOException} through unwrapped. Caffeine runs
     * the loader at most once per key at a time; concurrent callers wait for it.
     */
    static <K, V> V get(Cache<K, V> cache, K key, IoFunction<? super K, ? extends V> loader) throws IOException {
        try {
            return cache.get(key, k -> {
                try {
                    return loader.apply(k);
                } catch (IOException e) {
                    throw new LoadFailure(e);
                }
            });
        } catch (LoadFailure failure) {
            throw failure.getCause();
        }
    }

    /** Carries a loader's IOException through Caffeine; private, so only our own wrapper is ever unwrapped. */
    private static final class LoadFailure extends RuntimeException {

        LoadFailure(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
